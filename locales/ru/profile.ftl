# The bot's profile: shown to a reader before the first message, under the foreign-agent label.
profile-description =
    Присылаю новости «Кавказского узла» по темам и регионам, которые вы выберете: одно сообщение на статью.
    Нажмите «Старт», чтобы выбрать подписки.
