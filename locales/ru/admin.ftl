## Администрирование: /catalog, /editors, /admins, /stats, /audit

# /catalog (обычный текст, кроме помеченного HTML)
adm-catalog-usage =
    Команды каталога:
    /catalog — все темы и регионы с числом подписчиков
    /catalog add <slug> <topic|region> <Название ru> | <Название en>
    /catalog rename <slug> <Название ru> | <Название en>
    /catalog archive <slug>
    /catalog restore <slug>
    Slug — от 1 до 32 строчных латинских букв, цифр или дефисов. Пример:
    /catalog add syunik region Сюникская область | Syunik Province
adm-catalog-bad-slug = «{ $slug }» не подходит как slug: нужны от 1 до 32 строчных латинских букв, цифр или дефисов, например syunik.
adm-catalog-bad-kind = «{ $kind }» — неизвестный вид. Напишите topic (тема) или region (регион).
adm-catalog-names =
    Укажите оба названия через вертикальную черту, сначала русское:
    /catalog add syunik region Сюникская область | Syunik Province
    /catalog rename syunik Сюник | Syunik
adm-catalog-name-too-long = Название может быть не длиннее { $max } знаков, чтобы поместиться на кнопке меню.
adm-catalog-taken = Slug { $slug } уже занят: { $kind ->
        [topic] тема
       *[region] регион
    } «{ $name }»{ $state ->
        [archived] , в архиве. Вернуть: /catalog restore { $slug }
       *[active] .
    }
adm-catalog-added = { $kind ->
        [topic] Добавлена тема
       *[region] Добавлен регион
    } «{ $name }» ({ $slug }). Ссылка для сайта: t.me/{ $bot }?start={ $slug }
adm-catalog-unknown = В каталоге нет { $slug }. Все slug можно посмотреть командой /catalog.
adm-catalog-rename-same = У { $slug } уже такие названия: { $names }.
adm-catalog-renamed = Переименовано ({ $slug }): «{ $before }» → «{ $after }».
adm-catalog-archived = Перенесено в архив: «{ $name }» ({ $slug }). В меню этого пункта больше нет, а ссылка сообщает, что он не обновляется. Подписки сохранены (подписчиков: { $subscribers }). Вернуть: /catalog restore { $slug }
adm-catalog-already-archived = «{ $name }» ({ $slug }) уже в архиве. Вернуть: /catalog restore { $slug }
adm-catalog-restored = Возвращено из архива: «{ $name }» ({ $slug }). Пункт снова в меню, ссылка t.me/{ $bot }?start={ $slug } снова работает. Подписчиков: { $subscribers }.
adm-catalog-not-archived = «{ $name }» ({ $slug }) не в архиве.
# HTML
adm-catalog-header = <b>Каталог</b>: тем { $topics }, регионов { $regions }, в архиве { $archived }. Число после названия — подписчики.
adm-catalog-kind = { $kind ->
        [topic] <b>Темы</b>
       *[region] <b>Регионы</b>
    } ({ $count })
adm-catalog-kind-empty = нет
adm-catalog-row = • { $name } (<code>{ $slug }</code>): { $subscribers }{ $state ->
        [archived] {" "}· 🗄 в архиве
       *[active] {""}
    }

# /editors и /admins
adm-staff-usage =
    Команды для состава редакции:
    /editors — редакторы и администраторы
    /editors add <user_id>, /editors remove <user_id>
    /admins add <user_id>, /admins remove <user_id>
    Вместо id можно переслать мне сообщение этого человека и ответить на него командой.
adm-staff-bad-id = «{ $text }» — это не id пользователя. Нужен числовой id в Telegram, например /{ $command } add 123456789. Или перешлите мне сообщение этого человека и ответьте на него командой.
adm-staff-hidden = { $name } скрывает свой аккаунт в пересланных сообщениях, поэтому я не вижу, кто это. Попросите у этого человека числовой id в Telegram и пришлите /{ $command } add с ним.
adm-staff-bot = Бот не может быть редактором или администратором.
# HTML
adm-staff-editors = <b>Редакторы</b> ({ $count })
adm-staff-admins = <b>Администраторы</b> ({ $count }); им доступно всё, что и редакторам
adm-staff-none = нет
adm-staff-row = • { $who }
adm-staff-row-configured = • { $who } · ADMIN_IDS
adm-staff-hint = /editors add|remove &lt;user_id&gt;, /admins add|remove &lt;user_id&gt;. Вместо id можно ответить командой на пересланное сообщение этого человека.
adm-editor-added = { $who } теперь редактор: может отправлять срочные новости, останавливать, исправлять и отзывать уведомления.
adm-editor-already = { $who } уже редактор.
adm-editor-is-admin = { $who } — администратор, а администраторам доступно всё, что и редакторам.
adm-editor-removed = { $who } больше не редактор.{ $admin ->
        [yes] {" "}Права администратора остались: их снимает /admins remove.
       *[no] {""}
    }
adm-editor-not = { $who } не редактор.
adm-editor-not-but-admin = { $who } не редактор, а администратор. Снять права можно командой /admins remove.
adm-admin-added = { $who } теперь администратор: каталог, состав редакции, /stats и /audit, а также всё, что доступно редакторам.
adm-admin-already = { $who } уже администратор.
adm-admin-configured = { $who } — администратор по настройкам сервера (ADMIN_IDS). Снять эти права можно, только изменив настройку.
adm-admin-self = Нельзя снять права администратора с самого себя. Попросите другого администратора.
adm-admin-not = { $who } не администратор.
adm-admin-removed = { $who } больше не администратор.{ $editor ->
        [yes] {" "}Права редактора остались.
       *[no] {""}
    }

# /stats (HTML)
adm-stats-title = 📊 <b>Статистика</b>
adm-stats-chats = <b>Чаты:</b> { $total } (активных { $active }, неактивных { $inactive }; личных { $private }, групп { $groups }, каналов { $channels })
adm-stats-subscriptions = <b>Подписок:</b> { $total }
adm-stats-top = <b>Популярнее всего:</b>
adm-stats-top-row = { $place }. { $name }: { $subscribers }{ $state ->
        [archived] {" "}(в архиве)
       *[active] {""}
    }
adm-stats-alerts = <b>{ $window ->
        [day] За 24 ч
       *[week] За 7 дней
    }:</b> новостей { $articles }, отправлено уведомлений { $sent }, ошибок { $failed } ({ NUMBER($percent, maximumFractionDigits: 1) }{ "\u00A0" }%)
adm-stats-reasons = { "  " }ошибки: { $list }
adm-stats-reason-count = { adm-reason } { $count }
adm-stats-queues = <b>Очереди:</b> заданий { $total } ({ $list })
adm-stats-queue = { $queue ->
        [fanout] рассылка
        [deliver] доставка
        [feeds] ленты
        [status] сообщения о ходе рассылки
        [revisions] исправления и отзывы
        [digests] дайджесты читателей
       *[other] { $queue }
    } { $depth }
adm-stats-feeds-none = <b>Ленты:</b> ещё ни одна не опрашивалась
adm-stats-feeds-unset = <b>Ленты:</b> не настроены (FEEDS_FILE не задан)
adm-stats-feeds = <b>Ленты:</b> в порядке { $healthy } из { $total }
adm-stats-feed-trouble = { "  " }⚠️ { $feed }: { $down ->
        [yes] не работает,{" "}
       *[no] {""}
    }{ $failures ->
        [one] { $failures } неудачный опрос подряд
        [few] { $failures } неудачных опроса подряд
       *[other] { $failures } неудачных опросов подряд
    }; последняя ошибка: { $error }; последний удачный опрос: { $success }
adm-stats-errors = <b>Последние ошибки доставки:</b>{ $count ->
        [0] {" "}нет
       *[other] {""}
    }
adm-stats-error-row = { "  " }• { $time } · чат <code>{ $chat }</code> · №{ $seq } · { adm-reason }: { $description }
adm-reason = { $reason ->
        [blocked] заблокировали бота
        [not_found] чат не найден
        [bad_request] отказ Telegram
        [unavailable] Telegram недоступен
        [internal] внутренняя ошибка
       *[other] { $reason }
    }

# /audit (HTML)
adm-audit-title = 📜 <b>Журнал действий</b>, сначала новые · страница { $page }
adm-audit-empty = Записей пока нет.
adm-audit-page-empty = На этой странице записей нет.
adm-audit-row = • { $time } · { $who } · { adm-action } · <code>{ $subject }</code>{ $hasDetail ->
        [yes] {" "}· { $detail }
       *[no] {""}
    }
adm-action = { $action ->
        [push] отправка новости
        [cancel] остановка рассылки
        [correct] исправление новости
        [retract] отзыв новости
        [schedule] отложенная отправка
        [schedule-time] новое время отложенной отправки
        [schedule-edit] правка отложенной новости
        [schedule-cancel] отмена отложенной отправки
        [editor-add] назначение редактора
        [editor-remove] снятие редактора
        [admin-add] назначение администратора
        [admin-remove] снятие администратора
        [catalog-add] добавление в каталог
        [catalog-rename] переименование в каталоге
        [catalog-archive] перенос в архив
        [catalog-restore] возврат из архива
        [mirror-set] зеркало ссылок
        [mirror-remove] снятие зеркала ссылок
       *[other] { $action }
    }

## /mirror: ссылки на заблокированный сайт через зеркала
adm-mirror-head = Зеркала ссылок (ссылки на хост ведут на зеркало, путь и параметры те же):
adm-mirror-line = • { $host } → { $mirror }
adm-mirror-none = Зеркал нет: ссылки ведут на сайт как есть. Добавить: /mirror set www.kavkaz-uzel.eu kutest.org
adm-mirror-usage =
    /mirror — список зеркал
    /mirror set <хост> <зеркало> — ссылки на хост вести через зеркало, например /mirror set www.kavkaz-uzel.eu kutest.org
    /mirror remove <хост> — вести ссылки на хост как есть
adm-mirror-bad-host = «{ $value }» не подходит: { $why ->
        [empty] пусто
        [scheme] без https:// и других схем
        [path] без пути после имени
        [port] без порта
        [userinfo] без имени пользователя
       *[name] это не имя хоста
    }. Нужно только имя хоста, например kutest.org.
adm-mirror-same = { $host } не может быть зеркалом самого себя.
adm-mirror-set = Ссылки на { $host } теперь ведут на { $mirror }: в новых уведомлениях, дайджестах, /latest и текстах «Читать здесь».
adm-mirror-removed = Ссылки на { $host } снова ведут на сам сайт.
adm-mirror-not-found = У { $host } нет зеркала. /mirror покажет список.
adm-mirror-offer = Обновить ссылки в { $count } { $count ->
        [one] уведомлении
       *[other] уведомлениях
    } за 48 ч?
adm-mirror-btn-yes = Да, обновить
adm-mirror-btn-no = Нет
adm-mirror-kept = Уже отправленные уведомления остались как были.
adm-mirror-updating = Обновляю ссылки в { $count } { $count ->
        [one] уведомлении
       *[other] уведомлениях
    }; когда закончу, пришлю итог.
adm-mirror-updated = Ссылки обновлены: { $updated }, не удалось: { $failed }.
adm-stats-reactions = <b>Больше всего реакций за 7 дней:</b>
adm-stats-reactions-row = { $place }. { $headline }: { $line }
