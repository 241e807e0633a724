# Channels managed from a private chat, and forum topics in groups.

reach-editing = ✏️ Editing the channel “{ $title }”. /channel switches chats.
reach-editing-dropped = Telegram no longer lists you as an admin of “{ $title }”, so you are editing this chat again.
reach-editing-own = You are editing this chat again; /channel switches to your channels.
reach-this-chat = this chat
reach-channels-intro =
    Tap a chat to edit its topics, regions and language here.
    /channel add @name: connect a channel where you and I are admins (or forward me any post of it)
    /channel remove: disconnect the channel being edited
reach-btn-this-chat = 💬 This chat
reach-btn-channel = 📣 { $title }
reach-btn-channel-inactive = ⏸ { $title } (I can't post there)
reach-toast-switched = Now editing { $title }
reach-quoted = “{ $title }”
reach-toast-channel-gone = This channel is no longer connected
reach-toast-not-admin = Telegram doesn't list you as an admin of “{ $title }”
reach-toast-other-chat = This menu was for another chat; here it is for the one you edit now
reach-toast-language = { $lang ->
    [en] Channel language: English
   *[ru] Channel language: Russian
}
reach-channel-my-none = “{ $title }” doesn't follow anything yet. Topics and regions: /topics and /regions.
reach-channel-my-header = “{ $title }” follows:

reach-add-usage =
    To connect a channel: in the channel's settings make me an administrator with "Post messages", then send
    /channel add @name (or the channel's numeric id), or forward me any post of the channel.
reach-add-not-found = I can't find “{ $name }”. Check the @name; for a private channel, forward me one of its posts instead.
reach-add-not-channel = “{ $title }” is not a channel. For alerts in a group, add me to the group and send /start there.
reach-add-bot-not-admin = I am not an administrator of “{ $title }”. In the channel: Administrators → Add Admin → me, with "Post messages" on; then try again.
reach-add-bot-cannot-post = I am an administrator of “{ $title }” but may not post. Turn on "Post messages" for me in the channel's administrators; then try again.
reach-add-not-admin = Only an administrator of “{ $title }” can connect it, and Telegram doesn't list you as one.
reach-connected =
    Connected “{ $title }”. Alerts for the topics and regions you choose below will be posted in the channel.
    /channel switches back to this chat.
reach-remove-nothing = No channel is being edited. Choose one with /channel, then send /channel remove.
reach-removed = Disconnected “{ $title }”: it is unsubscribed from everything and forgotten. You are editing this chat again.
reach-private-only = Channels are connected and edited in the private chat with me.
reach-channel-lost =
    I can no longer post in the channel “{ $title }”, so its alerts have stopped.
    To resume, make me an administrator of the channel with "Post messages" again and send /channel add with its @name (or forward me one of its posts).

reach-here-topic = Alerts for “{ $title }” will come to this topic. An admin can send /here in another topic to move them, or in General to move them back.
reach-here-general = Alerts for “{ $title }” will come to General. An admin can send /here in a topic to move them there.
reach-here-not-forum = /here chooses the topic for alerts in a group with topics. This chat has none: alerts come right here.
pin-refused-group =
    📌 I can't pin breaking news here: Telegram says I lack the right to pin messages.
    An admin can make me an administrator with “Pin messages”, or turn off “📌 Pin breaking news” in /settings. The alerts keep coming either way.
pin-refused-channel =
    📌 I can't pin breaking news in the channel “{ $title }”: Telegram says I lack the right.
    To pin there, give me “Edit messages of others” among the channel's administrator rights, or turn off “📌 Pin breaking news” in /settings while editing the channel. The alerts keep coming either way.
reach-topic-gone = The topic the news alerts went to was closed or deleted, so they come here, to General, from now on. An admin can send /here in a topic to move them there.

reach-help =
    /channel: connect a channel where you and I are admins, and switch between the chats you edit
    /here: in a group with topics, send it in the topic that should get the alerts
cmd-channel = Connect a channel you run, or switch to it
cmd-here = In a forum group: alerts go to this topic
