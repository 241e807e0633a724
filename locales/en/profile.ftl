# The bot's profile: shown to a reader before the first message, under the foreign-agent label.
profile-description =
    I send news alerts from the Caucasian Knot for the topics and regions you choose: one message per article.
    Tap Start to choose what to follow.
