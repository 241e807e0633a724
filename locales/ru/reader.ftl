# The readers' options: /settings, /mute, /timezone, /filter, /latest.

rd-settings-title = ⚙️ Как приходят новости
rd-mode-instant = сразу, каждая новость отдельным сообщением
rd-mode-digest-hourly = дайджест каждый час
rd-mode-digest-at = дайджест в { $times }
rd-mode-breaking = только срочные новости
rd-and = и
rd-line-mode = 📬 Режим: { $value }
rd-line-breaking = { $on ->
    [yes] 🔴 Срочные: сразу, в любом режиме
   *[no] 🔴 Срочные: вместе с остальными
}
rd-line-quiet-off = 🌙 Тихие часы: нет
rd-line-quiet = { $hold ->
    [yes] 🌙 Тихие часы: { $from }–{ $to }; срочные в это время тоже ждут
   *[no] 🌙 Тихие часы: { $from }–{ $to }; срочные в это время приходят без звука
}
rd-line-mute = { $keep ->
    [yes] 🔕 Пауза до { $until }; потом пришлю всё дайджестом
   *[no] 🔕 Пауза до { $until }; что придёт за это время, не пришлю
}
rd-line-filters-none = 🔎 Фильтров по словам нет
rd-line-filters = 🔎 Фильтры: { $list }
rd-line-zone = 🕐 Часовой пояс: { $zone }, сейчас { $time }

rd-btn-mode = 📬 Режим
rd-btn-breaking-at-once = { $on ->
    [yes] ✅ Срочные сразу
   *[no] ☐ Срочные сразу
}
rd-btn-quiet = 🌙 Тихие часы
rd-btn-filters = 🔎 Фильтры
rd-btn-zone = 🕐 Часовой пояс
rd-btn-mute = 🔕 Пауза

rd-mode-intro =
    Как присылать новости?
    «Дайджест» — одно сообщение со ссылками в выбранное время: каждый час или раз-два в день (отметьте время ниже).
    Срочные новости приходят сразу в любом режиме, если вы не выключили это в настройках.
rd-btn-instant = Сразу
rd-btn-digest = Дайджест
rd-btn-breaking-only = Только срочные
rd-btn-hourly = Каждый час
rd-btn-other-time = ✏️ Другое время

rd-quiet-intro =
    Тихие часы: обычные новости в это время ждут и приходят одним дайджестом, когда они закончатся. Время по часовому поясу { $zone }.
rd-btn-quiet-off = Выключить
rd-btn-quiet-custom = ✏️ Свои часы
rd-btn-quiet-hold = { $hold ->
    [yes] 🔴 Срочные ночью: ждут утра
   *[no] 🔴 Срочные ночью: без звука
}

rd-filters-intro =
    Фильтры по словам в заголовке и лиде (регистр и «ё» не важны; ищутся целые слова в любой форме: «футбол» найдёт и «футболу»):
    /filter +слово — присылать только статьи с этим словом
    /filter -слово — не присылать статьи с этим словом
    Нажмите на фильтр, чтобы снять его.
rd-filters-now = Сейчас:
rd-filters-none-now = Фильтров пока нет.
rd-btn-filter-breaking = { $on ->
    [yes] ✅ Фильтровать и срочные
   *[no] ☐ Фильтровать и срочные
}

rd-zone-intro =
    Часовой пояс: { $zone }, сейчас там { $time }.
    Выберите пояс своего региона или отправьте /timezone и город либо смещение от UTC: /timezone Тбилиси, /timezone +4.

rd-toast-mode = Режим: { $value }
rd-toast-times-max = Не больше двух раз в день: сначала снимите одно из времён
rd-toast-times = Теперь: { $value }
rd-toast-breaking = { $on ->
    [yes] Срочные будут приходить сразу
   *[no] Срочные будут приходить вместе с остальными
}
rd-toast-quiet-off = Тихие часы выключены
rd-toast-quiet = Тихие часы: { $from }–{ $to }
rd-toast-quiet-hold = { $hold ->
    [yes] Срочные в тихие часы будут ждать
   *[no] Срочные в тихие часы придут без звука
}
rd-toast-filter-gone = Этого фильтра уже нет
rd-toast-filter-removed = Фильтр снят: { $filter }
rd-toast-filter-breaking = { $on ->
    [yes] Фильтры действуют и на срочные
   *[no] Срочные приходят без фильтров
}
rd-toast-zone = Часовой пояс: { $zone }
rd-toast-admins-only = Настройки группы меняют только её администраторы
rd-admins-only = Настройки группы меняют только её администраторы.

rd-ask-times = Отправьте время дайджеста, например 8:30, или два времени через пробел: 8:30 19:00. /cancel — отмена.
rd-ask-quiet = Отправьте тихие часы, например 23:00-07:00. /cancel — отмена.
rd-bad-times-format = Не понимаю время. Напишите так: 8:30 или 8:30 19:00.
rd-bad-times-too-many = Дайджест приходит не больше двух раз в день: отправьте одно или два времени.
rd-bad-quiet-format = Не понимаю. Напишите начало и конец так: 23:00-07:00.
rd-bad-quiet-same = Начало и конец совпадают. Напишите, например: 23:00-07:00.
rd-too-many = Слишком много попыток: вопрос закрыт, ничего не изменилось. Чтобы попробовать снова, нажмите ✏️ в /settings.
rd-saved-times = Готово: дайджест в { $times } по часовому поясу { $zone }.
rd-saved-quiet = Готово: тихие часы { $from }–{ $to } по часовому поясу { $zone }.

rd-mute-ask = На сколько приостановить новости? Срочные тоже подождут.
rd-btn-mute-1h = 1 час
rd-btn-mute-8h = 8 часов
rd-btn-mute-24h = 24 часа
rd-btn-mute-off = 🔔 Снять паузу
rd-muted = { $keep ->
    [yes] 🔕 Новости на паузе до { $until } ({ $zone }). Что придёт за это время, пришлю одним дайджестом, когда пауза закончится.
   *[no] 🔕 Новости на паузе до { $until } ({ $zone }). Что придёт за это время, присылать не буду.
}
rd-btn-mute-keep = { $on ->
    [yes] ● 📬 Прислать потом дайджестом
   *[no] 📬 Прислать потом дайджестом
}
rd-btn-mute-drop = { $on ->
    [yes] ● 🗑 Не присылать
   *[no] 🗑 Не присылать
}
rd-unmuted = 🔔 Пауза снята: новости снова приходят.
rd-not-muted = Паузы нет: новости приходят как обычно.
rd-mute-usage = Так: /mute 1h, /mute 8h, /mute 24h или /mute off. /mute 8h drop — не присылать то, что придёт за время паузы.

rd-filter-added = { $keep ->
    [yes] Фильтр добавлен: { $filter }. Буду присылать только статьи со словом «{ $phrase }» (или с другим словом со знаком +).
   *[no] Фильтр добавлен: { $filter }. Статьи со словом «{ $phrase }» присылать не буду.
}
rd-filter-exists = Такой фильтр уже есть: { $filter }.
rd-filter-full = Фильтров уже { $max }, больше нельзя. Снимите ненужный: /filter remove и номер, или кнопкой в /filter.
rd-filter-empty = После + или - нужно слово, например: /filter -футбол.
rd-filter-too-long = Слишком длинный фильтр: { $length ->
    [one] { $length } знак
    [few] { $length } знака
   *[other] { $length } знаков
}, а можно не больше { $max }.
rd-filter-too-long-written-out = Слишком длинный фильтр: простыми буквами в нём { $length ->
    [one] { $length } знак
    [few] { $length } знака
   *[other] { $length } знаков
}, а можно не больше { $max }. Знаки вроде ﬁ или ǆ считаются за две буквы (f и i, d и ž). Сократите его, пожалуйста.
rd-filter-bad-characters = В фильтре могут быть только буквы, цифры, пробелы, дефис и апостроф; другие знаки и регулярные выражения не работают.
rd-filter-no-sign = Поставьте перед словом + или -: /filter +Грозный — только статьи с этим словом, /filter -футбол — без статей с ним.
rd-filter-removed = Фильтр снят: { $filter }.
rd-filter-bad-number = Фильтра с номером «{ $n }» нет. Номера — в списке /filter.
rd-filter-cleared = Все фильтры сняты.
rd-filter-nothing-to-clear = Фильтров и так нет.

rd-zone-set = Часовой пояс: { $zone }. Сейчас там { $time }.
rd-zone-choose = Для «{ $query }» подходит несколько часовых поясов, выберите свой:
rd-zone-none = Не нашёл часового пояса для «{ $query }». Попробуйте город по-английски (/timezone Tbilisi) или смещение от UTC (/timezone +4).

rd-latest-title = Последние новости
rd-latest-more = …и ещё { $n }
rd-latest-fell-out = Ещё { $n } старых не поместились
rd-latest-none = Свежих новостей по подпискам нет. Подписки: /topics и /regions.
rd-latest-none-slug = Свежих новостей в «{ $name }» нет.
rd-latest-nothing-followed = Подписок пока нет: /topics и /regions. Или /latest и тема либо регион, например /latest chechnya.
rd-latest-wait = Секунду: /latest можно не чаще раза в 3 секунды.
rd-latest-unknown =
    Я не знаю «{ $slug }». После /latest напишите тему или регион по-русски или по-английски (/latest Чечня) либо как в ссылках на сайте:
    Темы: { $topics }
    Регионы: { $regions }

rd-help =
    /settings: когда и как приходят новости (дайджест, тихие часы, фильтры, часовой пояс)
    /mute: пауза на 1, 8 или 24 часа
    /filter: фильтры по словам (/filter -футбол)
    /timezone: часовой пояс
    /latest: последние 5 новостей по подпискам
cmd-settings = Когда и как приходят новости
cmd-mute = Пауза на 1, 8 или 24 часа
cmd-filter = Фильтры по словам
cmd-timezone = Часовой пояс
cmd-latest = Последние новости
