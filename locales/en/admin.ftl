## Admin: /catalog, /editors, /admins, /stats, /audit

# /catalog (plain text unless marked HTML)
adm-catalog-usage =
    Catalogue commands:
    /catalog: every topic and region with its subscribers
    /catalog add <slug> <topic|region> <Name ru> | <Name en>
    /catalog rename <slug> <Name ru> | <Name en>
    /catalog archive <slug>
    /catalog restore <slug>
    A slug is 1–32 lowercase Latin letters, digits or hyphens. Example:
    /catalog add syunik region Сюникская область | Syunik Province
adm-catalog-bad-slug = “{ $slug }” can't be a slug: use 1–32 lowercase Latin letters, digits or hyphens, for example syunik.
adm-catalog-bad-kind = “{ $kind }” is not a kind: write topic or region.
adm-catalog-names =
    Give both names, Russian first, split by a bar:
    /catalog add syunik region Сюникская область | Syunik Province
    /catalog rename syunik Сюник | Syunik
adm-catalog-name-too-long = A name may have at most { $max } characters, so that it fits on a menu button.
adm-catalog-taken = The slug { $slug } is taken: { $kind ->
        [topic] topic
       *[region] region
    } “{ $name }”{ $state ->
        [archived] , archived. /catalog restore { $slug } brings it back.
       *[active] .
    }
adm-catalog-added = Added { $kind ->
        [topic] topic
       *[region] region
    } “{ $name }” ({ $slug }). Link for the website: t.me/{ $bot }?start={ $slug }
adm-catalog-unknown = There is no { $slug } in the catalogue. /catalog lists every slug.
adm-catalog-rename-same = { $slug } already has these names: { $names }.
adm-catalog-renamed = Renamed { $slug }: “{ $before }” → “{ $after }”.
adm-catalog-archived = Archived “{ $name }” ({ $slug }): it is gone from the menus, and its link now says it is no longer updated. Its subscribers are kept ({ $subscribers }). /catalog restore { $slug } brings it back.
adm-catalog-already-archived = “{ $name }” ({ $slug }) is archived already. /catalog restore { $slug } brings it back.
adm-catalog-restored = Restored “{ $name }” ({ $slug }): it is back in the menus and its link t.me/{ $bot }?start={ $slug } works again. Subscribers: { $subscribers }.
adm-catalog-not-archived = “{ $name }” ({ $slug }) is not archived.
# HTML
adm-catalog-header = <b>Catalogue</b>: topics { $topics }, regions { $regions }, archived { $archived }. The number is the subscribers.
adm-catalog-kind = { $kind ->
        [topic] <b>Topics</b>
       *[region] <b>Regions</b>
    } ({ $count })
adm-catalog-kind-empty = none
adm-catalog-row = • { $name } (<code>{ $slug }</code>): { $subscribers }{ $state ->
        [archived] {" "}· 🗄 archived
       *[active] {""}
    }

# /editors and /admins
adm-staff-usage =
    Staff commands:
    /editors: editors and admins
    /editors add <user_id>, /editors remove <user_id>
    /admins add <user_id>, /admins remove <user_id>
    Instead of the id, you can forward me a message from the person and reply to it with the command.
adm-staff-bad-id = “{ $text }” is not a user id. I need the numeric Telegram id, for example /{ $command } add 123456789. Or forward me a message from the person and reply to it with the command.
adm-staff-hidden = { $name } hides their account in forwarded messages, so I can't see who it is. Ask them for their numeric Telegram id and send /{ $command } add with it.
adm-staff-bot = Bots can't be editors or admins.
# HTML
adm-staff-editors = <b>Editors</b> ({ $count })
adm-staff-admins = <b>Admins</b> ({ $count }); they can do everything editors can
adm-staff-none = none
adm-staff-row = • { $who }
adm-staff-row-configured = • { $who } · ADMIN_IDS
adm-staff-hint = /editors add|remove &lt;user_id&gt;, /admins add|remove &lt;user_id&gt;. Instead of the id, reply with the command to a message forwarded from the person.
adm-editor-added = { $who } is now an editor: they can send breaking news and stop, correct or retract alerts.
adm-editor-already = { $who } is an editor already.
adm-editor-is-admin = { $who } is an admin, and admins can do everything editors can.
adm-editor-removed = { $who } is no longer an editor.{ $admin ->
        [yes] {" "}They are still an admin: /admins remove takes that away.
       *[no] {""}
    }
adm-editor-not = { $who } is not an editor.
adm-editor-not-but-admin = { $who } is not an editor but an admin. /admins remove takes their rights away.
adm-admin-added = { $who } is now an admin: the catalogue, staff, /stats and /audit, and everything editors can do.
adm-admin-already = { $who } is an admin already.
adm-admin-configured = { $who } is an admin by the server's configuration (ADMIN_IDS). Only a change of that setting removes them.
adm-admin-self = You can't remove yourself from the admins. Ask another admin to do it.
adm-admin-not = { $who } is not an admin.
adm-admin-removed = { $who } is no longer an admin.{ $editor ->
        [yes] {" "}They are still an editor.
       *[no] {""}
    }

# /stats (HTML)
adm-stats-title = 📊 <b>Statistics</b>
adm-stats-chats = <b>Chats:</b> { $total } (active { $active }, inactive { $inactive }; private { $private }, groups { $groups }, channels { $channels })
adm-stats-subscriptions = <b>Subscriptions:</b> { $total }
adm-stats-top = <b>Most followed:</b>
adm-stats-top-row = { $place }. { $name }: { $subscribers }{ $state ->
        [archived] {" "}(archived)
       *[active] {""}
    }
adm-stats-alerts = <b>{ $window ->
        [day] Last 24 h
       *[week] Last 7 days
    }:</b> articles { $articles }, alerts sent { $sent }, failed { $failed } ({ NUMBER($percent, maximumFractionDigits: 1) }%)
adm-stats-reasons = { "  " }failures: { $list }
adm-stats-reason-count = { adm-reason } { $count }
adm-stats-queues = <b>Queues:</b> { $total } jobs ({ $list })
adm-stats-queue = { $queue ->
        [fanout] fan-out
        [deliver] delivery
        [feeds] feeds
        [status] status messages
        [revisions] corrections and retractions
        [digests] readers' digests
       *[other] { $queue }
    } { $depth }
adm-stats-feeds-none = <b>Feeds:</b> none polled yet
adm-stats-feeds-unset = <b>Feeds:</b> none configured (FEEDS_FILE is not set)
adm-stats-feeds = <b>Feeds:</b> { $healthy } of { $total } working
adm-stats-feed-trouble = { "  " }⚠️ { $feed }: { $down ->
        [yes] down,{" "}
       *[no] {""}
    }{ $failures ->
        [one] { $failures } failed poll
       *[other] { $failures } failed polls in a row
    }; last error: { $error }; last worked: { $success }
adm-stats-errors = <b>Latest delivery errors:</b>{ $count ->
        [0] {" "}none
       *[other] {""}
    }
adm-stats-error-row = { "  " }• { $time } · chat <code>{ $chat }</code> · #{ $seq } · { adm-reason }: { $description }
adm-reason = { $reason ->
        [blocked] blocked the bot
        [not_found] chat not found
        [bad_request] refused by Telegram
        [unavailable] Telegram unavailable
        [internal] internal error
       *[other] { $reason }
    }

# /audit (HTML)
adm-audit-title = 📜 <b>Audit trail</b>, newest first · page { $page }
adm-audit-empty = Nothing recorded yet.
adm-audit-page-empty = No entries on this page.
adm-audit-row = • { $time } · { $who } · { adm-action } · <code>{ $subject }</code>{ $hasDetail ->
        [yes] {" "}· { $detail }
       *[no] {""}
    }
adm-action = { $action ->
        [push] sent an alert
        [cancel] stopped an alert
        [correct] corrected an alert
        [retract] retracted an alert
        [schedule] scheduled an alert
        [schedule-time] changed the time of a scheduled alert
        [schedule-edit] edited a scheduled alert
        [schedule-cancel] cancelled a scheduled alert
        [editor-add] added an editor
        [editor-remove] removed an editor
        [admin-add] added an admin
        [admin-remove] removed an admin
        [catalog-add] added to the catalogue
        [catalog-rename] renamed in the catalogue
        [catalog-archive] archived
        [catalog-restore] restored from the archive
        [mirror-set] set a link mirror
        [mirror-remove] removed a link mirror
       *[other] { $action }
    }

## /mirror: links to a blocked site through mirrors
adm-mirror-head = Link mirrors (links to the host go to the mirror, same path and query):
adm-mirror-line = • { $host } → { $mirror }
adm-mirror-none = No mirrors: links go to the site as they are. To add one: /mirror set www.kavkaz-uzel.eu kutest.org
adm-mirror-usage =
    /mirror — the list of mirrors
    /mirror set <host> <mirror> — send links to the host through the mirror, e.g. /mirror set www.kavkaz-uzel.eu kutest.org
    /mirror remove <host> — send links to the host as they are
adm-mirror-bad-host = "{ $value }" will not do: { $why ->
        [empty] it is empty
        [scheme] no https:// or other scheme
        [path] no path after the name
        [port] no port
        [userinfo] no user name
       *[name] it is not a host name
    }. Give the host name only, e.g. kutest.org.
adm-mirror-same = { $host } cannot be its own mirror.
adm-mirror-set = Links to { $host } now go to { $mirror }: in new alerts, digests, /latest and "Read here" texts.
adm-mirror-removed = Links to { $host } go to the site itself again.
adm-mirror-not-found = { $host } has no mirror. /mirror shows the list.
adm-mirror-offer = Update the links in { $count } { $count ->
        [one] alert
       *[other] alerts
    } of the last 48 h?
adm-mirror-btn-yes = Yes, update
adm-mirror-btn-no = No
adm-mirror-kept = The alerts already sent stay as they were.
adm-mirror-updating = Updating the links in { $count } { $count ->
        [one] alert
       *[other] alerts
    }; I will report when done.
adm-mirror-updated = Links updated: { $updated }, could not: { $failed }.
adm-stats-reactions = <b>Most reactions, 7 days:</b>
adm-stats-reactions-row = { $place }. { $headline }: { $line }
