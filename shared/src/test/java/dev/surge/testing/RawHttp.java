package dev.surge.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 request written byte for byte on a socket of its own, for request targets and headers that an HTTP
 * client would refuse or fix before sending ({@code /products/%}, a bad {@code Host}); the connection is closed
 * after the answer.
 */
public final class RawHttp {

  /** A response as it came: status, header lines in order, body. */
  public record Response(int status, List<String[]> headers, String body) {

    /** The first value of the header, case-insensitive name, or null. */
    public String header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
    }

    /** Every value of the header, in order. */
    public List<String> all(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private RawHttp() {
  }

  /** {@code method target HTTP/1.1} with {@code Host: localhost} and {@code Connection: close}. */
  public static Response request(int port, String method, String target) {
    return send(port, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  /** Writes the bytes as they are (ISO-8859-1) and reads until the server closes the connection. */
  public static Response send(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no complete response: " + raw);
    }
    String[] lines = raw.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(new String[] {lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
        lines[i].substring(colon + 1).trim()});
    }
    String body = new String(raw.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return new Response(status, headers, body);
  }
}
