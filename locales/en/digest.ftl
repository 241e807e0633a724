# Readers' digests: held alerts sent as one message (jobs/send-digest.ts).

digest-title = News digest
digest-more = …and { $count ->
    [one] { $count } more article
   *[other] { $count } more articles
}
digest-fell-out = { $count ->
    [one] { $count } older article did not fit
   *[other] { $count } older articles did not fit
} (at most 200 are kept).
