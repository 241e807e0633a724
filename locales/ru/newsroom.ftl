## Редакция: /breaking, сообщение о доставке, /cancel, /correct, /retract, /recent

dlg-expired = Черновик 15 минут ждал ответа и закрыт. Ничего не отправлено. Чтобы начать заново, пришлите /breaking.
dlg-cancelled = { $dialog ->
    [breaking] Черновик закрыт, срочная новость не отправлена.
    [correct] Исправление отменено: уведомление осталось прежним.
    [scheduled] Изменения не сохранены: отправка запланирована, как была.
   *[reader-time] Хорошо, настройки остались прежними.
    }
dlg-use-current = Сначала ответьте на текущий вопрос или пришлите /cancel.
dlg-send-text = Ответьте текстом или пришлите /cancel, чтобы выйти.
dlg-too-many = Слишком много попыток ответить на один вопрос: диалог закрыт. Ничего не отправлено. Начните заново, когда будете готовы.

brk-start =
    Срочная новость. Шаг 1 из 4: пришлите заголовок (до 300 знаков).
    /cancel — выйти на любом шаге.
brk-ask-headline = Пришлите новый заголовок (до 300 знаков).
brk-headline-empty = Заголовок пуст. Пришлите заголовок текстом, до 300 знаков.
brk-headline-too-long = Заголовок длиннее { $max } знаков: в нём { $length ->
    [one] { $length } знак
    [few] { $length } знака
   *[other] { $length } знаков
    }. Сократите его и пришлите снова.
brk-ask-teaser = Шаг 2 из 4: пришлите лид — 1–3 предложения. Пришлите -, чтобы обойтись без лида.
brk-teaser-too-long = Лид длиннее 32 768 знаков. Сократите его.
brk-ask-link = Шаг 3 из 4: пришлите ссылку на статью, например https://www.kavkaz-uzel.eu/articles/…
brk-link-not-a-link = Это не похоже на адрес статьи: нужен адрес сайта, например https://www.kavkaz-uzel.eu/articles/… или kavkaz-uzel.eu/articles/…
brk-link-not-http = Ссылка начинается с «{ $scheme }:», а в уведомление можно поставить только ссылку http(s). Пришлите адрес статьи, например https://www.kavkaz-uzel.eu/articles/…
brk-link-spaces = В ссылке есть пробел или перенос строки. Пришлите адрес статьи одной строкой без пробелов, например https://www.kavkaz-uzel.eu/articles/…
brk-link-userinfo = В ссылке перед адресом сайта стоит имя пользователя или пароль (…@): читатели увидят один сайт, а откроют другой. Пришлите адрес статьи без этой части.
brk-link-too-long = Ссылка длиннее 2048 знаков. Пришлите более короткий адрес статьи.
brk-ask-targets = Шаг 4 из 4: кому отправить? Выбрано: { $chosen } — { $about ->
    [yes] около { $count } чатов
   *[no] { $count ->
        [one] { $count } чат
        [few] { $count } чата
       *[other] { $count } чатов
    }
    }.
brk-ask-targets-none = Шаг 4 из 4: кому отправить? Пока ничего не выбрано: отметьте темы или регионы и нажмите «Готово».
brk-btn-topics = Темы
brk-btn-regions = Регионы
brk-btn-done = Готово
brk-choose-one = Выберите хотя бы одну тему или регион
brk-preview = Так увидят { $about ->
    [yes] около { $count } чатов
   *[no] { $count ->
        [one] { $count } чат
        [few] { $count } чата
       *[other] { $count } чатов
    }
    } ({ $targets }).
brk-btn-send = 🔴 Отправить
brk-btn-edit = ✏️ Изменить
brk-btn-cancel = Отмена
brk-ask-edit = Что изменить?
brk-btn-edit-headline = Заголовок
brk-btn-edit-teaser = Лид
brk-btn-edit-link = Ссылку
brk-btn-edit-targets = Темы и регионы
brk-discarded = Черновик удалён. Ничего не отправлено.
brk-invalid =
    Уведомление не отправлено:
    { $problems }
    Исправьте и отправьте снова.
brk-duplicate = Это уведомление уже отправлено.

nr-status-head = { $mark }«{ $headline }» — id <code>{ $id }</code>
nr-status-queued = В очереди, получателей: { $total }…
nr-status-sending = Отправлено { $sent } из { $total } · ошибок { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $failures })
    } · осталось ~{ $eta } с
nr-status-finished = Доставлено { $sent }, не доставлено { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $failures })
    } за { $seconds } с.
nr-status-cancelled = Остановлено: доставлено { $sent }, не отправлено { $cancelled }, ошибок { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $failures })
    }.
nr-status-retracted = Отозвано. До отзыва получили: { $sent }.
nr-status-readers = По настройкам читателей: { $parts }.
nr-status-held = в дайджест { $held }
nr-status-opted-out = не нужно { $optedOut } (фильтры, только срочные, пауза)
nr-reason = { $reason ->
    [blocked] заблокировали бота
    [not_found] чат не найден
    [unavailable] Telegram недоступен
    [bad_request] отказ Telegram
   *[other] прочие
    } { $count }
nr-btn-cancel = ⏹ Остановить
nr-btn-correct = ✏️ Исправить
nr-btn-retract = 🗑 Отозвать

nr-need-id = Добавьте id статьи, например /retract brk-20261130-2340-x7k2. /recent покажет статьи за 48 часов с их id.
nr-not-found = Эта статья мне больше не известна.
nr-not-found-id = Статьи с id «{ $id }» я не знаю. /recent покажет статьи за 48 часов с их id.
nr-too-late = Уведомлению больше 48 часов: Telegram уже не позволяет его изменить.
nr-cancel-nothing = Черновика нет. Чтобы остановить рассылку, пришлите /cancel с id статьи, например /cancel brk-20261130-2340-x7k2.
nr-cancel-done = Остановлено: больше ничего не уйдёт. Отправленное остаётся.
nr-cancel-already = Эта рассылка уже остановлена.
nr-cancel-over = Рассылка закончилась: останавливать нечего.
nr-retract-confirm = Удалить «{ $headline }» у { $count ->
    [one] { $count } получателя
   *[other] { $count } получателей
    }? Отменить это нельзя.
nr-btn-retract-yes = Да, отозвать
nr-btn-retract-no = Нет
nr-retract-kept = Ничего не удалено
nr-retract-already = Это уведомление уже отозвано.
nr-retract-started = Отзываю: удаляю уведомление у { $count ->
    [one] { $count } получателя
   *[other] { $count } получателей
    }. Сообщу, когда закончу.
nr-retracted-report = Отозвано: удалено { $done }, не удалось { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $reasons })
    }.
nr-corrected-report = Исправлено: изменено { $done }, не удалось { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $reasons })
    }.
nr-revision-reason = { $reason ->
    [too_old] старше 48 ч
    [gone] удалено читателем
    [chat_unavailable] чат недоступен
    [unavailable] Telegram недоступен
   *[other] отказ Telegram
    }: { $count }
nr-recent-head = Статьи за 48 часов (нажмите номер, чтобы увидеть доставку и действия):
nr-recent-line = { $n }. { $mark }{ $headline } — <code>{ $id }</code> · отправлено { $sent }, ошибок { $failed } · { $state ->
    [queued] в очереди
    [sending] идёт рассылка
    [finished] доставлено
    [cancelled] остановлено
   *[retracted] отозвано
    }
nr-recent-none = За 48 часов статей не было.

cor-ask-headline =
    Исправление «{ $headline }».
    Пришлите новый заголовок или -, чтобы оставить прежний.
cor-ask-teaser = Пришлите новый лид или -, чтобы оставить прежний.
cor-unchanged = Ничего не изменилось, исправлять нечего.
cor-confirm = Так будет выглядеть исправленное уведомление. Изменить его у { $count ->
    [one] { $count } получателя
   *[other] { $count } получателей
    }?
cor-btn-apply = ✏️ Исправить у всех
cor-discarded = Исправление отменено. Ничего не изменено.
cor-started = Исправляю уведомление у { $count ->
    [one] { $count } получателя
   *[other] { $count } получателей
    }. Сообщу, когда закончу.

help-editor =
    Для редакторов:
    /breaking: срочная новость (заголовок, лид, ссылка, темы и регионы, предпросмотр)
    /scheduled: отложенные отправки («🕒 Запланировать» в предпросмотре): отправить сейчас, перенести, изменить, отменить
    /recent: статьи за 48 часов, их доставка и действия
    /cancel <id>: остановить рассылку · /correct <id>: исправить отправленное · /retract <id>: удалить у всех
help-admin =
    Для администраторов:
    /catalog: темы и регионы (добавить, переименовать, архивировать, вернуть)
    /editors, /admins: кто может отправлять и управлять
    /stats: читатели, уведомления и ошибки · /audit: кто что сделал
id-private = Ваш id в Telegram: { $user }. Администратор добавит вас в редакторы командой /editors add { $user }.
id-group = Ваш id в Telegram: { $user }. Id этого чата: { $chat }.
cmd-id = Ваш id в Telegram — для администраторов и редакторов
cmd-breaking = Срочная новость
cmd-recent = Статьи за 48 часов
cmd-scheduled = Отложенные отправки
cmd-cancel = Остановить рассылку или выйти из черновика
cmd-correct = Исправить отправленное
cmd-retract = Удалить отправленное у всех
cmd-catalog = Темы и регионы
cmd-editors = Редакторы
cmd-admins = Администраторы
cmd-stats = Читатели, уведомления и ошибки
cmd-audit = Кто что сделал
nr-reads = 📖 прочитано здесь: { $count }
cmd-mirror = Зеркала ссылок на сайт
nr-reactions = Реакции: { $line }
