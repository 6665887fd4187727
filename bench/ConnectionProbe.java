import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keep-alive clients on plain blocking sockets, as wrk's are, that print each failed request with its time, its
 * local port and how many answers its connection had had: wrk only counts them. Run it beside
 * bench/instances-under-load.sh and line its lines up with the service log's (instance hand-offs are logged).
 *
 *   java bench/ConnectionProbe.java PORT [CLIENTS=32] [SECONDS=60] [PATH=/products/1]
 *
 * One source file run as it is, with nothing built: hence its own small response reader, the same as the tests'
 * LoadLoop (shared/testing), which it cannot import.
 */
public class ConnectionProbe {

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    long until = System.currentTimeMillis() + 1000L * (args.length > 2 ? Long.parseLong(args[2]) : 60);
    String path = args.length > 3 ? args[3] : "/products/1";
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);
    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Thread[] threads = new Thread[clients];
    for (int i = 0; i < clients; i++) {
      threads[i] = Thread.ofPlatform().start(() -> {
        while (System.currentTimeMillis() < until) {
          int localPort = -1;
          int answers = 0;
          try (Socket socket = new Socket("127.0.0.1", port)) {
            localPort = socket.getLocalPort();
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            boolean keepAlive = true;
            while (keepAlive && System.currentTimeMillis() < until) {
              out.write(request);
              out.flush();
              String status = line(in);
              if (status == null) {
                failed.incrementAndGet();
                System.out.println(LocalTime.now() + " closed before an answer, port " + localPort + ", after "
                  + answers + " answers");
                break;
              }
              int length = 0;
              for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                  length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                  keepAlive = false;
                }
              }
              in.readNBytes(length);
              answers++;
              answered.incrementAndGet();
            }
          } catch (IOException e) {
            failed.incrementAndGet();
            System.out.println(LocalTime.now() + " " + e + ", port " + localPort + ", after " + answers + " answers");
          }
        }
      });
    }
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.println(answered.get() + " answered, " + failed.get() + " failed");
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') {
        return line.toString();
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.isEmpty() ? null : line.toString();
  }
}
