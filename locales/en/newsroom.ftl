## The newsroom: /breaking, status messages, /cancel, /correct, /retract, /recent

dlg-expired = Your draft waited 15 minutes without an answer and was closed. Nothing was sent. Send /breaking to start again.
dlg-cancelled = { $dialog ->
    [breaking] Draft closed: the breaking news was not sent.
    [correct] Correction cancelled: the alert stays as it was.
    [scheduled] Changes dropped: the push stays scheduled as it was.
   *[reader-time] OK, your settings stay as they were.
    }
dlg-use-current = Please answer the current question first, or send /cancel.
dlg-send-text = Please answer with text, or send /cancel to leave.
dlg-too-many = Too many tries at one question: the dialog is closed. Nothing was sent. Start it again when ready.

brk-start =
    Breaking news. Step 1 of 4: send the headline (up to 300 characters).
    /cancel leaves at any step.
brk-ask-headline = Send the new headline (up to 300 characters).
brk-headline-empty = The headline is empty. Send the headline as text, up to 300 characters.
brk-headline-too-long = That headline is longer than { $max } characters: it has { $length ->
    [one] { $length } character
   *[other] { $length } characters
    }. Please shorten it and send it again.
brk-ask-teaser = Step 2 of 4: send the teaser, one to three sentences. Send - to go without one.
brk-teaser-too-long = That teaser is longer than 32,768 characters. Please shorten it.
brk-ask-link = Step 3 of 4: send the link to the article, for example https://www.kavkaz-uzel.eu/articles/…
brk-link-not-a-link = That doesn't look like an article's address: it needs the site's name, for example https://www.kavkaz-uzel.eu/articles/… or kavkaz-uzel.eu/articles/…
brk-link-not-http = That link starts with “{ $scheme }:”, and only http(s) links can go in an alert. Send the article's address, for example https://www.kavkaz-uzel.eu/articles/…
brk-link-spaces = That link has a space or a line break in it. Send the article's address on one line without spaces, for example https://www.kavkaz-uzel.eu/articles/…
brk-link-userinfo = That link has a user name or password before the site's name (…@): readers would see one site and open another. Send the article's address without that part.
brk-link-too-long = That link is longer than 2,048 characters. Send a shorter address of the article.
brk-ask-targets = Step 4 of 4: who gets it? Chosen: { $chosen } — { $about ->
    [yes] about { $count } chats
   *[no] { $count ->
        [one] { $count } chat
       *[other] { $count } chats
    }
    }.
brk-ask-targets-none = Step 4 of 4: who gets it? Nothing chosen yet: tick topics or regions, then tap Done.
brk-btn-topics = Topics
brk-btn-regions = Regions
brk-btn-done = Done
brk-choose-one = Choose at least one topic or region
brk-preview = This is how { $about ->
    [yes] about { $count } chats
   *[no] { $count ->
        [one] { $count } chat
       *[other] { $count } chats
    }
    } will see it ({ $targets }).
brk-btn-send = 🔴 Send
brk-btn-edit = ✏️ Edit
brk-btn-cancel = Cancel
brk-ask-edit = What do you want to change?
brk-btn-edit-headline = Headline
brk-btn-edit-teaser = Teaser
brk-btn-edit-link = Link
brk-btn-edit-targets = Topics and regions
brk-discarded = Draft discarded. Nothing was sent.
brk-invalid =
    The alert could not be sent:
    { $problems }
    Change it and send it again.
brk-duplicate = This alert was sent already.

nr-status-head = { $mark }“{ $headline }” — id <code>{ $id }</code>
nr-status-queued = Queued for { $total } chats…
nr-status-sending = Sent { $sent } of { $total } · failed { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $failures })
    } · about { $eta } s left
nr-status-finished = Delivered { $sent }, not delivered { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $failures })
    } in { $seconds } s.
nr-status-cancelled = Stopped: delivered { $sent }, not sent { $cancelled }, failed { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $failures })
    }.
nr-status-retracted = Retracted. It had reached { $sent } chats.
nr-status-readers = By readers' options: { $parts }.
nr-status-held = held for digests { $held }
nr-status-opted-out = not wanted { $optedOut } (filters, breaking only, paused)
nr-reason = { $reason ->
    [blocked] blocked the bot
    [not_found] chat not found
    [unavailable] Telegram unavailable
    [bad_request] refused by Telegram
   *[other] other
    } { $count }
nr-btn-cancel = ⏹ Stop
nr-btn-correct = ✏️ Correct
nr-btn-retract = 🗑 Retract

nr-need-id = Add the article's id, for example /retract brk-20261130-2340-x7k2. /recent lists the last 48 hours with their ids.
nr-not-found = That article is no longer known to me.
nr-not-found-id = I know no article with the id “{ $id }”. /recent lists the last 48 hours with their ids.
nr-too-late = This alert is older than 48 hours: Telegram no longer lets me change it.
nr-cancel-nothing = There is no draft to leave. To stop a delivery, send /cancel with the article's id, for example /cancel brk-20261130-2340-x7k2.
nr-cancel-done = Stopped: nothing more will be sent. Alerts already sent stay.
nr-cancel-already = This delivery was stopped already.
nr-cancel-over = This delivery has finished: there is nothing left to stop.
nr-retract-confirm = Delete “{ $headline }” from { $count ->
    [one] { $count } chat
   *[other] { $count } chats
    }? This cannot be undone.
nr-btn-retract-yes = Yes, retract
nr-btn-retract-no = No
nr-retract-kept = Nothing was deleted
nr-retract-already = This alert was retracted already.
nr-retract-started = Retracting: deleting the alert from { $count ->
    [one] { $count } chat
   *[other] { $count } chats
    }. I will report when it is done.
nr-retracted-report = Retracted: deleted { $done }, could not delete { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $reasons })
    }.
nr-corrected-report = Corrected: edited { $done }, could not edit { $failed }{ $failed ->
    [0] {""}
   *[other] {" "}({ $reasons })
    }.
nr-revision-reason = { $reason ->
    [too_old] older than 48 h
    [gone] deleted by the reader
    [chat_unavailable] chat unavailable
    [unavailable] Telegram unavailable
   *[other] refused by Telegram
    }: { $count }
nr-recent-head = Articles of the last 48 hours (tap a number for its status and actions):
nr-recent-line = { $n }. { $mark }{ $headline } — <code>{ $id }</code> · sent { $sent }, failed { $failed } · { $state ->
    [queued] queued
    [sending] sending
    [finished] delivered
    [cancelled] stopped
   *[retracted] retracted
    }
nr-recent-none = No articles in the last 48 hours.

cor-ask-headline =
    Correcting “{ $headline }”.
    Send the new headline, or - to keep it.
cor-ask-teaser = Send the new teaser, or - to keep it.
cor-unchanged = Nothing changed, so nothing was edited.
cor-confirm = This is the corrected alert. Edit it in { $count ->
    [one] { $count } chat
   *[other] { $count } chats
    }?
cor-btn-apply = ✏️ Edit everywhere
cor-discarded = Correction discarded. Nothing was edited.
cor-started = Correcting the alert in { $count ->
    [one] { $count } chat
   *[other] { $count } chats
    }. I will report when it is done.

help-editor =
    For editors:
    /breaking: send breaking news (headline, teaser, link, topics and regions, preview)
    /scheduled: pushes scheduled for later (🕒 Schedule at the preview): send now, change the time, edit, cancel
    /recent: articles of the last 48 hours, their delivery and actions
    /cancel <id>: stop a delivery · /correct <id>: correct a sent alert · /retract <id>: delete it everywhere
help-admin =
    For admins:
    /catalog: topics and regions (add, rename, archive, restore)
    /editors, /admins: who may send and manage
    /stats: readers, alerts and errors · /audit: who did what
id-private = Your Telegram user id: { $user }. An admin adds you as an editor with /editors add { $user }.
id-group = Your Telegram user id: { $user }. This chat's id: { $chat }.
cmd-id = Your Telegram id, for admins and editors
cmd-breaking = Send breaking news
cmd-recent = Articles of the last 48 hours
cmd-scheduled = Pushes scheduled for later
cmd-cancel = Stop a delivery, or leave a draft
cmd-correct = Correct a sent alert
cmd-retract = Delete a sent alert everywhere
cmd-catalog = Topics and regions
cmd-editors = Editors
cmd-admins = Admins
cmd-stats = Readers, alerts and errors
cmd-audit = Who did what
nr-reads = 📖 read here: { $count }
cmd-mirror = Link mirrors of the site
nr-reactions = Reactions: { $line }
