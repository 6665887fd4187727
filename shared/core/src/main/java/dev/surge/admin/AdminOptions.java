package dev.surge.admin;

/**
 * Where {@link AdminServer} listens and what it asks for, as {@code Surge} reads it from the {@code admin.*} keys
 * (their descriptions there).
 *
 * @param port  0: no admin API
 * @param token the bearer token every request must carry; null: loopback clients only, and then the host must be
 *              a loopback address
 */
public record AdminOptions(String host, int port, String token) {

  @Override
  public String toString() { // the token is a secret: never printed
    return "AdminOptions[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "****") + "]";
  }
}
