/** One size of a photo as Telegram answers a send with it. */
export interface PhotoSizeLike {
  file_id: string;
  width: number;
  height: number;
}

/** Telegram answers with several sizes of the photo; the largest is the one readers open. */
export function largestFileId(sizes: readonly PhotoSizeLike[]): string | undefined {
  let best: PhotoSizeLike | undefined;
  for (const size of sizes) if (!best || size.width * size.height > best.width * best.height) best = size;
  return best?.file_id;
}
