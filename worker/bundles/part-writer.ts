// Writes a stream of unknown length to R2 as a multipart upload, holding at most one part in
// memory. Nothing is visible under the key until `complete()`: a writer that fails midway leaves
// no object, or the previous complete one.

/** R2's smallest part, except the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export class PartWriter {
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private parts: R2UploadedPart[] = [];
  /** Bytes written so far. */
  size = 0;

  private constructor(
    private readonly upload: R2MultipartUpload,
    private readonly partBytes: number,
  ) {}

  static async start(bucket: R2Bucket, key: string, options: R2MultipartOptions, partBytes = MIN_PART_BYTES) {
    return new PartWriter(await bucket.createMultipartUpload(key, options), Math.max(partBytes, MIN_PART_BYTES));
  }

  get uploadId(): string {
    return this.upload.uploadId;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    this.size += chunk.length;
    if (this.bufferedBytes >= this.partBytes) await this.flush();
  }

  /** Writes every chunk of `stream`. */
  async pipeFrom(stream: ReadableStream<Uint8Array>): Promise<void> {
    for await (const chunk of stream) await this.write(chunk);
  }

  async complete(): Promise<R2Object> {
    if (this.bufferedBytes > 0 || this.parts.length === 0) await this.flush();
    return this.upload.complete(this.parts);
  }

  async abort(): Promise<void> {
    await this.upload.abort();
  }

  private async flush(): Promise<void> {
    const part = new Uint8Array(this.bufferedBytes);
    let offset = 0;
    for (const chunk of this.buffered) {
      part.set(chunk, offset);
      offset += chunk.length;
    }
    this.buffered = [];
    this.bufferedBytes = 0;
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, part));
  }
}
