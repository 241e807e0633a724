# Readers' digests: held alerts sent as one message (jobs/send-digest.ts).

digest-title = Дайджест новостей
digest-more = …и ещё { $count ->
    [one] { $count } материал
    [few] { $count } материала
   *[other] { $count } материалов
}
digest-fell-out = { $count ->
    [one] { $count } более ранний материал не поместился в дайджест
    [few] { $count } более ранних материала не поместились в дайджест
   *[other] { $count } более ранних материалов не поместились в дайджест
} (хранятся не больше 200).
