## Scheduled pushes: /breaking's 🕒 Schedule, /scheduled

brk-btn-schedule = 🕒 Schedule
brk-btn-save = 💾 Save
sch-ask =
    🕒 When should it go out? It is { $now } now ({ $zone }).
    Tap a time, or send one: 9:00, tomorrow 9:00, 2026-12-08 09:00, +15 min. At most { $days } days ahead.
sch-choice = { $day ->
    [today] Today
   *[tomorrow] Tomorrow
    } { $time }
sch-btn-in-15 = +15 min
sch-btn-in-60 = +1 h
sch-btn-back = ◀ Back to the preview
sch-past = That time has passed: it is { $now } now ({ $zone }). Choose a later time.
sch-too-far = That is more than { $days } days ahead: the latest is { $latest } ({ $zone }). Choose an earlier time.
sch-format = I could not read that time. Send it like 9:00, tomorrow 9:00, 2026-12-08 09:00 or +15 min.
sch-scheduled =
    🕒 Scheduled: “{ $headline }” goes out on { $when } ({ $zone }), id <code>{ $id }</code>.
    /scheduled lists the pushes waiting: send now, change the time, edit or cancel.
sch-saved = 🕒 Saved: “{ $headline }” goes out on { $when } ({ $zone }), id <code>{ $id }</code>.
sch-preview-at = 🕒 Scheduled for { $when } ({ $zone }).
sch-going = This push is going out now: it can no longer be changed. /recent shows its delivery.
sch-gone = This push is no longer scheduled: it went out or was cancelled. /recent shows what went out.
sch-time-kept = The time stays as it was.
sch-edit-dropped = Changes dropped: the push stays scheduled as it was.
sch-list-head = 🕒 Scheduled pushes, times in { $zone } (tap a number to send now, change the time, edit or cancel):
sch-list-line = { $n }. { $when } — { $headline } — <code>{ $id }</code>
sch-list-none = No pushes are scheduled. To schedule one, tap 🕒 Schedule at the preview of /breaking.
sch-recent-line = { $n }. 🕒 { $headline } — <code>{ $id }</code> · scheduled for { $when }
sch-card =
    🕒 “{ $headline }” — id <code>{ $id }</code>
    Goes out on { $when } ({ $zone }).
    To: { $targets } — { $about ->
        [yes] about { $count } chats
       *[no] { $count ->
            [one] { $count } chat
           *[other] { $count } chats
        }
    } now.
    Its status message goes to { $editor }.
sch-btn-now = 🔴 Send now
sch-btn-time = 🕒 Change the time
sch-btn-edit = ✏️ Edit
sch-btn-cancel = 🗑 Cancel the push
sch-cancel-confirm = Cancel “{ $headline }”, scheduled for { $when }? It will not go out.
sch-btn-cancel-yes = Yes, cancel it
sch-btn-cancel-no = No
sch-cancel-kept = The push stays scheduled
sch-cancelled = Cancelled: the push will not go out.
sch-sending-now = Sending now: the status message follows.
sch-failed =
    The scheduled push “{ $headline }” ({ $id }) could not go out:
    { $problems }
    Send it again with /breaking.
