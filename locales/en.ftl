welcome = { $chat ->
    [group]
        Hello! I send news alerts from the Caucasian Knot to “{ $title }”: one message per article, for the topics and regions its admins choose.
        Open Topics or Regions below and tap an item to follow it for the group; tap it again to stop.
   *[private]
        Hello! I send news alerts from the Caucasian Knot: one message per article, for the topics and regions you choose.
        Open Topics or Regions below and tap an item to follow it; tap it again to stop.
}
welcome-back = { $chat ->
    [group] Hello! “{ $title }” already follows news from the Caucasian Knot: see “⭐ The group's subscriptions”.
   *[private] Hello! You already follow news from the Caucasian Knot: see “⭐ My subscriptions”.
}
group-hello =
    Hello, { $title }! I send news alerts from the Caucasian Knot: one message per article, for the topics and regions the group follows.
    Only the group's admins can set me up: an admin sends /start here, or opens Topics or Regions below and taps an item to follow it. Until then nothing comes.
menu-intro = Open Topics or Regions to follow or drop them.
topics-intro = Topics: tap to subscribe, tap again to unsubscribe.
regions-intro = Regions: tap to subscribe, tap again to unsubscribe.
language-intro = Choose the language of the bot and of the news you get.
btn-topics = 📰 Topics
btn-regions = 🗺 Regions
btn-my = { $chat ->
    [group] ⭐ The group's subscriptions
    [channel] ⭐ The channel's subscriptions
   *[private] ⭐ My subscriptions
}
btn-language = 🌐 Language · Язык
btn-back = ⬅ Back
btn-prev = ◀
btn-next = ▶
btn-page = { $page } / { $pages }
btn-both-editions = { $on ->
    [yes] ☑ Both editions (Russian and English)
   *[no] ☐ Both editions (Russian and English)
}
toast-subscribed = Subscribed: { $name }
toast-unsubscribed = Unsubscribed: { $name }
toast-gone = This item is no longer in the list
toast-outdated = The list has changed; here is the current one
toast-admins-only = Only the group's admins can change its subscriptions
toast-group-admins-only = Only the group's admins can use these buttons
toast-language = Language: English
toast-editions = { $editions ->
    [both] Editions: Russian and English
    [en] Edition: English only
   *[ru] Edition: Russian only
}
toast-stale-button = This button no longer works. Send /start for a fresh menu.
deep-link-subscribed = { $chat ->
    [group] “{ $title }” is subscribed to “{ $name }”. Its news will arrive here.
   *[private] You are subscribed to “{ $name }”. Its news will arrive here.
}
deep-link-already = { $chat ->
    [group] “{ $title }” already follows “{ $name }”.
   *[private] You already follow “{ $name }”.
}
deep-link-unknown = I don't know “{ $slug }”. Here is what you can follow:
deep-link-archived = “{ $name }” is no longer updated. Here is what you can follow:
my-none = { $chat ->
    [group] “{ $title }” doesn't follow anything yet. Topics and regions: /topics and /regions.
   *[private] You don't follow anything yet. Topics and regions: /topics and /regions.
}
my-header = { $chat ->
    [group] “{ $title }” follows:
   *[private] You follow:
}
my-topics = Topics: { $list }
my-regions = Regions: { $list }
my-settings = Language: { $language }; editions: { $editions }; time zone: { $zone }.
editions-ru = Russian
editions-en = English
editions-both = Russian and English
language-name = English
stop-done = { $chat ->
    [group] Done: “{ $title }” is unsubscribed from everything and forgotten. Send /start to come back.
   *[private] Done: you are unsubscribed from everything and this chat is forgotten. Send /start to come back.
}
stop-nothing = There was nothing to forget. Send /start to begin.
help =
    I send alerts from the Caucasian Knot for the topics and regions you follow.
    /start: start and choose what to follow
    /topics: follow or drop topics
    /regions: follow or drop regions
    /my: what you follow
    /language: language and editions
    /stop: unsubscribe from everything
    /help: this message
unknown-text = I only understand commands and buttons. Try /topics, /regions or /help.
unknown-command = I don't know that command. Try /help.
admins-only = Only the group's admins can change its subscriptions.
error-generic = Something went wrong on our side. Please try again in a minute.
cmd-start = Start and choose what to follow
cmd-topics = Follow or drop topics
cmd-regions = Follow or drop regions
cmd-my = What you follow
cmd-language = Language and editions
cmd-stop = Unsubscribe from everything
cmd-help = Help
read = Read
feed-down =
    ⚠️ Feed { $feed } is down: { $failures ->
        [one] { $failures } poll has failed
       *[other] { $failures } polls in a row have failed
    }.
    { $url }
    Last error: { $error }
    I will report once when it works again.
feed-up =
    ✅ Feed { $feed } works again, after { $failures ->
        [one] { $failures } failed poll
       *[other] { $failures } failed polls in a row
    }.
    { $url }
