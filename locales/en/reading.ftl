read-here = 📖 Read here
rd-read-on-site = Read on the site
rd-read-withdrawn = The newsroom withdrew this article; its text is no longer available.
rd-read-expired = The full text of this article is no longer kept here. It is on the site: { $link }
rd-read-gone = There is no such article, or it is no longer kept.
rd-read-busy = The text is on its way.
rd-read-private = The full text comes in your private chat with the bot: open the "📖 Read here" link under the alert.
