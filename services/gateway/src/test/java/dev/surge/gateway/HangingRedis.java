package dev.surge.gateway;

import dev.surge.testing.TestService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Redis that hangs (not down): a TCP listener that accepts every connection and never answers, until
 * {@link #recover} makes it pass everything, what it held first, to a real Redis, as a Redis that stalled and came
 * back would answer. The machine's Redis itself is never touched.
 */
final class HangingRedis implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient();
  private final NetServer server;
  private final List<Runnable> held = new CopyOnWriteArrayList<>();
  private volatile URI real;

  HangingRedis() {
    server = TestService.await(vertx.createNetServer().connectHandler(this::accept).listen(0, "127.0.0.1"));
  }

  String url() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  /** From now on, and for every connection held so far, Redis answers: that of {@code redisUrl}. */
  void recover(String redisUrl) {
    real = URI.create(redisUrl);
    held.forEach(Runnable::run);
  }

  private void accept(NetSocket socket) {
    Context context = vertx.getOrCreateContext();
    Buffer sent = Buffer.buffer();
    socket.handler(sent::appendBuffer);
    Runnable forward = () -> context.runOnContext(v -> {
      socket.pause();
      client.connect(real.getPort(), real.getHost()).onSuccess(redis -> {
        redis.write(sent.copy());
        socket.pipeTo(redis);
        redis.pipeTo(socket);
      }).onFailure(err -> socket.close());
    });
    if (real != null) {
      forward.run();
    } else {
      held.add(forward);
    }
  }

  @Override
  public void close() {
    TestService.await(vertx.close());
  }
}
