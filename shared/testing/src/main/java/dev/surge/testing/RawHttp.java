package dev.surge.testing;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket: the request goes out byte for byte as written, where an HTTP client would refuse it
 * or fix it first ({@code /products/%}, dot segments, an absolute-form target, a bad {@code Host}, control
 * characters, conflicting framing), and one response is read back by its own framing (Content-Length, chunked, or
 * to the end), 1xx answers skipped.
 */
public final class RawHttp {

  private static final int MAX_HEAD = 256 * 1024;
  private static final int MAX_BODY = 4 * 1024 * 1024;

  /** A response as it came: status, header lines in order (names in lower case), body. */
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

  /** Writes the text as it is (ISO-8859-1) and reads one response. */
  public static Response send(int port, String request) {
    try {
      return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), request.startsWith("HEAD "), 30_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends the bytes and reads one final response, with no body after a HEAD ({@code head}). Throws when the
   * connection closes, or stays silent for {@code timeoutMillis}, before a whole response came.
   */
  public static Response exchange(int port, byte[] request, boolean head, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      // Written beside the reading: a server may answer (413, 431) and close before it has read a large request
      // whole, and the answer must be read before the reset its close causes discards it.
      OutputStream out = socket.getOutputStream();
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          out.write(request);
          out.flush();
        } catch (IOException e) {
          // the server stopped reading; its answer is still read
        }
      });
      try {
        return read(socket.getInputStream(), head);
      } finally {
        writer.interrupt();
      }
    }
  }

  /** Opens a connection and sends {@code head} (request line and headers, and a body's start if any). */
  public static Socket open(int port, String head) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one final response off a socket {@link #open}ed. */
  public static Response read(Socket socket) {
    try {
      return read(socket.getInputStream(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response read(InputStream in, boolean head) throws IOException {
    while (true) {
      Response response = readOne(in, head);
      if (response.status() >= 200 || response.status() == 101) {
        return response;
      }
    }
  }

  private static Response readOne(InputStream in, boolean head) throws IOException {
    String[] lines = readHead(in).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + lines[0]);
    }
    int status = Integer.parseInt(statusLine[1]);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(new String[] {lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim()});
      }
    }
    Response framing = new Response(status, headers, "");
    byte[] body;
    String contentType = String.valueOf(framing.header("content-type"));
    if (head || status < 200 || status == 204 || status == 304 || contentType.startsWith("text/event-stream")) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(framing.header("transfer-encoding"))) {
      body = readChunked(in);
    } else if (framing.header("content-length") != null) {
      body = readExactly(in, Integer.parseInt(framing.header("content-length")));
    } else {
      body = readToEnd(in);
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0D0A0D0A) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(head.size() == 0 ? "connection closed with no response"
          : "connection closed inside the response head");
      }
      head.write(b);
      last4 = (last4 << 8) | b;
      if (head.size() > MAX_HEAD) {
        throw new IOException("response head over " + MAX_HEAD + " bytes");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      if (body.size() + size > MAX_BODY) {
        throw new IOException("response body over " + MAX_BODY + " bytes");
      }
      body.write(readExactly(in, size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed inside a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static byte[] readExactly(InputStream in, int length) throws IOException {
    if (length > MAX_BODY) {
      throw new IOException("response body of " + length + " bytes");
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
    }
    return body;
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new IOException("response body over " + MAX_BODY + " bytes");
    }
    return body;
  }
}
