package dev.surge.standalone.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request's bytes, written as they are, on a connection of its own, and the response read off the socket.
 * Written here rather than with Vert.x's or the JDK's HTTP client because those refuse to send what the fuzz
 * test must send (bad percent-encoding, control characters, conflicting framing, absolute-form targets, odd
 * methods) or quietly repair it.
 */
final class RawHttp {

  private static final int MAX_HEAD = 256 * 1024;
  private static final int MAX_BODY = 4 * 1024 * 1024;

  /** A response as it came: status, headers (last of a name wins, names lower-cased) and body. */
  record Response(int status, Map<String, String> headers, byte[] body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {
  }

  /**
   * Sends the request and reads one final response (1xx skipped). Throws when the connection closes or stays
   * silent for {@code timeoutMillis} before a whole response came: the server dropped or hung the request.
   */
  static Response exchange(int port, byte[] request, boolean head, int timeoutMillis) throws IOException {
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
      InputStream in = socket.getInputStream();
      while (true) {
        Response response = read(in, head);
        if (response.status() >= 200 || response.status() == 101) {
          writer.interrupt();
          return response;
        }
      }
    }
  }

  private static Response read(InputStream in, boolean head) throws IOException {
    String[] lines = readHead(in).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + lines[0]);
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body;
    String contentType = headers.getOrDefault("content-type", "");
    if (head || status < 200 || status == 204 || status == 304 || contentType.startsWith("text/event-stream")) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = readChunked(in);
    } else if (headers.containsKey("content-length")) {
      body = readExactly(in, Integer.parseInt(headers.get("content-length")));
    } else {
      body = readToEnd(in);
    }
    return new Response(status, headers, body);
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
