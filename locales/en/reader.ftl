# The readers' options: /settings, /mute, /timezone, /filter, /latest.

rd-settings-title = ⚙️ How the news reaches you
rd-mode-instant = at once, one message per article
rd-mode-digest-hourly = a digest every hour
rd-mode-digest-at = a digest at { $times }
rd-mode-breaking = breaking news only
rd-and = and
rd-line-mode = 📬 Mode: { $value }
rd-line-breaking = { $on ->
    [yes] 🔴 Breaking news: at once, in every mode
   *[no] 🔴 Breaking news: with the rest
}
rd-line-pin = { $on ->
    [yes] 📌 Breaking news: pinned without a sound, for { $hours } h
   *[no] 📌 Breaking news: not pinned
}
rd-line-quiet-off = 🌙 Quiet hours: none
rd-line-quiet = { $hold ->
    [yes] 🌙 Quiet hours: { $from }–{ $to }; breaking news waits too
   *[no] 🌙 Quiet hours: { $from }–{ $to }; breaking news comes silently
}
rd-line-mute = { $keep ->
    [yes] 🔕 Paused until { $until }; then it all comes as a digest
   *[no] 🔕 Paused until { $until }; what comes meanwhile is dropped
}
rd-line-filters-none = 🔎 No word filters
rd-line-filters = 🔎 Filters: { $list }
rd-line-zone = 🕐 Time zone: { $zone }, now { $time }

rd-btn-mode = 📬 Mode
rd-btn-breaking-at-once = { $on ->
    [yes] ✅ Breaking at once
   *[no] ☐ Breaking at once
}
rd-btn-pin-breaking = { $on ->
    [yes] ✅ 📌 Pin breaking news
   *[no] ☐ 📌 Pin breaking news
}
rd-btn-quiet = 🌙 Quiet hours
rd-btn-filters = 🔎 Filters
rd-btn-zone = 🕐 Time zone
rd-btn-mute = 🔕 Pause

rd-mode-intro =
    How should the news come?
    A digest is one message of links at the times you choose: every hour, or once or twice a day (tick the times below).
    Breaking news comes at once in every mode, unless you turned that off in the settings.
rd-btn-instant = At once
rd-btn-digest = Digest
rd-btn-breaking-only = Breaking only
rd-btn-hourly = Every hour
rd-btn-other-time = ✏️ Other time

rd-quiet-intro =
    Quiet hours: regular news that arrives then waits, and comes as one digest when they end. Times are in { $zone }.
rd-btn-quiet-off = Off
rd-btn-quiet-custom = ✏️ Your own hours
rd-btn-quiet-hold = { $hold ->
    [yes] 🔴 Breaking at night: waits
   *[no] 🔴 Breaking at night: silent
}

rd-filters-intro =
    Word filters on the headline and teaser (case does not matter; whole words in any of their forms: football also finds footballs):
    /filter +word: only articles with this word
    /filter -word: no articles with this word
    Tap a filter to remove it.
rd-filters-now = Now:
rd-filters-none-now = No filters yet.
rd-btn-filter-breaking = { $on ->
    [yes] ✅ Filter breaking news too
   *[no] ☐ Filter breaking news too
}

rd-zone-intro =
    Time zone: { $zone }, where it is { $time } now.
    Choose your region's zone, or send /timezone with a city or a UTC offset: /timezone Tbilisi, /timezone +4.

rd-toast-mode = Mode: { $value }
rd-toast-times-max = Twice a day at most: untick one of the times first
rd-toast-times = Now: { $value }
rd-toast-breaking = { $on ->
    [yes] Breaking news will come at once
   *[no] Breaking news will come with the rest
}
rd-toast-pin = { $on ->
    [yes] Breaking news will be pinned here for { $hours } h, one at a time
   *[no] Breaking news won't be pinned
}
rd-toast-quiet-off = Quiet hours off
rd-toast-quiet = Quiet hours: { $from }–{ $to }
rd-toast-quiet-hold = { $hold ->
    [yes] Breaking news will wait through quiet hours
   *[no] Breaking news will come silently in quiet hours
}
rd-toast-filter-gone = That filter is gone already
rd-toast-filter-removed = Filter removed: { $filter }
rd-toast-filter-breaking = { $on ->
    [yes] Filters apply to breaking news too
   *[no] Breaking news passes the filters
}
rd-toast-zone = Time zone: { $zone }
rd-toast-admins-only = Only the group's admins can change its settings
rd-admins-only = Only the group's admins can change its settings.

rd-ask-times = Send the digest time, like 8:30, or two times with a space: 8:30 19:00. /cancel to leave.
rd-ask-quiet = Send the quiet hours, like 23:00-07:00. /cancel to leave.
rd-bad-times-format = I can't read that time. Write it like 8:30 or 8:30 19:00.
rd-bad-times-too-many = A digest comes twice a day at most: send one or two times.
rd-bad-quiet-format = I can't read that. Write the start and the end like 23:00-07:00.
rd-bad-quiet-same = The start and the end are the same. Write, for example: 23:00-07:00.
rd-too-many = Too many tries: the question is closed and nothing changed. Tap ✏️ in /settings to try again.
rd-saved-times = Done: a digest at { $times }, { $zone } time.
rd-saved-quiet = Done: quiet hours { $from }–{ $to }, { $zone } time.

rd-mute-ask = Pause the news for how long? Breaking news waits too.
rd-btn-mute-1h = 1 hour
rd-btn-mute-8h = 8 hours
rd-btn-mute-24h = 24 hours
rd-btn-mute-off = 🔔 End the pause
rd-muted = { $keep ->
    [yes] 🔕 News paused until { $until } ({ $zone }). What comes meanwhile arrives as one digest when the pause ends.
   *[no] 🔕 News paused until { $until } ({ $zone }). What comes meanwhile will not be sent.
}
rd-btn-mute-keep = { $on ->
    [yes] ● 📬 Send it later as a digest
   *[no] 📬 Send it later as a digest
}
rd-btn-mute-drop = { $on ->
    [yes] ● 🗑 Drop it
   *[no] 🗑 Drop it
}
rd-unmuted = 🔔 Pause ended: the news comes again.
rd-not-muted = No pause: the news comes as usual.
rd-mute-usage = Like this: /mute 1h, /mute 8h, /mute 24h or /mute off. /mute 8h drop: drop what comes during the pause.

rd-filter-added = { $keep ->
    [yes] Filter added: { $filter }. Only articles with “{ $phrase }” (or another + word) will come.
   *[no] Filter added: { $filter }. Articles with “{ $phrase }” will not come.
}
rd-filter-exists = That filter is there already: { $filter }.
rd-filter-full = There are { $max } filters already, the most there can be. Remove one first: /filter remove and its number, or a button in /filter.
rd-filter-empty = Put a word after + or -, for example: /filter -football.
rd-filter-too-long = That filter is too long: { $length } characters, { $max } at most.
rd-filter-too-long-written-out = That filter is too long: written out in plain letters it has { $length } characters, and { $max } is the most. Signs such as ﬁ or ǆ count as two letters (f and i, d and ž). Please shorten it.
rd-filter-bad-characters = A filter may hold letters, digits, spaces, hyphens and apostrophes only; other signs and regular expressions do not work.
rd-filter-no-sign = Put + or - before the word: /filter +Grozny for only articles with it, /filter -football for none with it.
rd-filter-removed = Filter removed: { $filter }.
rd-filter-bad-number = There is no filter number “{ $n }”. The numbers are in the /filter list.
rd-filter-cleared = All filters removed.
rd-filter-nothing-to-clear = There are no filters.

rd-zone-set = Time zone: { $zone }. It is { $time } there now.
rd-zone-choose = Several time zones match “{ $query }”; choose yours:
rd-zone-none = I found no time zone for “{ $query }”. Try a city in English (/timezone Tbilisi) or an offset from UTC (/timezone +4).

rd-latest-title = Latest news
rd-latest-more = …and { $n } more
rd-latest-fell-out = { $n } older ones did not fit
rd-latest-none = No recent news for what you follow. Subscriptions: /topics and /regions.
rd-latest-none-slug = No recent news in “{ $name }”.
rd-latest-nothing-followed = You don't follow anything yet: /topics and /regions. Or /latest with a topic or region, like /latest chechnya.
rd-latest-wait = One moment: /latest works once every 3 seconds.
rd-latest-unknown =
    I don't know “{ $slug }”. After /latest write a topic or region in English or Russian (/latest Chechnya) or as in the links on the website:
    Topics: { $topics }
    Regions: { $regions }

rd-help =
    /settings: when and how the news comes (digest, quiet hours, filters, time zone)
    /mute: pause for 1, 8 or 24 hours
    /filter: word filters (/filter -football)
    /timezone: time zone
    /latest: the 5 latest articles you follow
cmd-settings = When and how the news comes
cmd-mute = Pause for 1, 8 or 24 hours
cmd-filter = Word filters
cmd-timezone = Time zone
cmd-latest = Latest news
