## Отложенные отправки: «🕒 Запланировать» в /breaking, /scheduled

brk-btn-schedule = 🕒 Запланировать
brk-btn-save = 💾 Сохранить
sch-ask =
    🕒 Когда отправить? Сейчас { $now } ({ $zone }).
    Нажмите время или пришлите своё: 9:00, завтра 9:00, 2026-12-08 09:00, +15 мин. Не дальше чем на { $days } дней вперёд.
sch-choice = { $day ->
    [today] Сегодня
   *[tomorrow] Завтра
    } { $time }
sch-btn-in-15 = +15 мин
sch-btn-in-60 = +1 ч
sch-btn-back = ◀ К предпросмотру
sch-past = Это время уже прошло: сейчас { $now } ({ $zone }). Выберите время позже.
sch-too-far = Это дальше чем на { $days } дней вперёд: самое позднее — { $latest } ({ $zone }). Выберите время раньше.
sch-format = Не понимаю это время. Пришлите его так: 9:00, завтра 9:00, 2026-12-08 09:00 или +15 мин.
sch-scheduled =
    🕒 Запланировано: «{ $headline }» уйдёт { $when } ({ $zone }), id <code>{ $id }</code>.
    /scheduled — отложенные отправки: отправить сейчас, перенести, изменить или отменить.
sch-saved = 🕒 Сохранено: «{ $headline }» уйдёт { $when } ({ $zone }), id <code>{ $id }</code>.
sch-preview-at = 🕒 Запланировано на { $when } ({ $zone }).
sch-going = Эта новость уже отправляется: изменить её нельзя. Доставку покажет /recent.
sch-gone = Эта отправка больше не запланирована: новость ушла или отправку отменили. Ушедшие новости покажет /recent.
sch-time-kept = Время осталось прежним.
sch-edit-dropped = Изменения не сохранены: отправка запланирована, как была.
sch-list-head = 🕒 Отложенные отправки, время — { $zone } (нажмите номер, чтобы отправить сейчас, перенести, изменить или отменить):
sch-list-line = { $n }. { $when } — { $headline } — <code>{ $id }</code>
sch-list-none = Отложенных отправок нет. Чтобы запланировать, нажмите «🕒 Запланировать» в предпросмотре /breaking.
sch-recent-line = { $n }. 🕒 { $headline } — <code>{ $id }</code> · запланировано на { $when }
sch-card =
    🕒 «{ $headline }» — id <code>{ $id }</code>
    Уйдёт { $when } ({ $zone }).
    Кому: { $targets } — сейчас { $about ->
        [yes] около { $count } чатов
       *[no] { $count ->
            [one] { $count } чат
            [few] { $count } чата
           *[other] { $count } чатов
        }
    }.
    Сообщение о доставке получит { $editor }.
sch-btn-now = 🔴 Отправить сейчас
sch-btn-time = 🕒 Перенести
sch-btn-edit = ✏️ Изменить
sch-btn-cancel = 🗑 Отменить отправку
sch-cancel-confirm = Отменить «{ $headline }», запланированную на { $when }? Новость не уйдёт.
sch-btn-cancel-yes = Да, отменить
sch-btn-cancel-no = Нет
sch-cancel-kept = Отправка осталась в плане
sch-cancelled = Отменено: новость не уйдёт.
sch-sending-now = Отправляю сейчас, сообщение о доставке — следом.
sch-failed =
    Запланированная новость «{ $headline }» ({ $id }) не ушла:
    { $problems }
    Отправьте её заново через /breaking.
