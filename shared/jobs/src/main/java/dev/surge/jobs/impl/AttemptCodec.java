package dev.surge.jobs.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Hands an attempt to a runner on the local event bus by reference; attempts never leave the process. */
final class AttemptCodec implements MessageCodec<Attempt, Attempt> {

  private final String name;

  AttemptCodec(String name) {
    this.name = name;
  }

  @Override
  public void encodeToWire(Buffer buffer, Attempt attempt) {
    throw new UnsupportedOperationException("job attempts are sent on the local event bus only");
  }

  @Override
  public Attempt decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("job attempts are sent on the local event bus only");
  }

  @Override
  public Attempt transform(Attempt attempt) {
    return attempt;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
