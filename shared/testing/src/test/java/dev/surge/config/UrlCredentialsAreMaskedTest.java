package dev.surge.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A credential a URL carries in its query (a webhook's token or signature, an API key) is masked wherever the URL is
 * printed, as its user-info password is; the other parameters stay readable.
 */
class UrlCredentialsAreMaskedTest {

  @Test
  void credentialParametersAreMaskedAndTheOthersKept() {
    assertThat(Secrets.maskUrlPasswords("orders.webhookUrl = https://hooks.example/x?token=t0k3n&v=2"))
      .isEqualTo("orders.webhookUrl = https://hooks.example/x?token=****&v=2");
    assertThat(Secrets.maskUrlPasswords("https://h/x?a=1&api_key=k3y&sig=s1g&access_token=at&client_secret=cs#f"))
      .isEqualTo("https://h/x?a=1&api_key=****&sig=****&access_token=****&client_secret=****#f");
    assertThat(Secrets.maskUrlPasswords("postgresql://app@db/shop?sslmode=require&password=hunter2"))
      .isEqualTo("postgresql://app@db/shop?sslmode=require&password=****");
    assertThat(Secrets.maskUrlPasswords("redis://:hunter2@cache:6379/0?clientName=surge"))
      .isEqualTo("redis://:****@cache:6379/0?clientName=surge");
  }

  @Test
  void aUrlWhosePathIsItsCredentialShowsItsHostAlone() {
    assertThat(Secrets.maskUrlBeyondHost("https://u:p@hooks.example/services/T000/B000/PATHSECRET123?token=q"))
      .isEqualTo("https://hooks.example/****");
    assertThat(Secrets.maskUrlBeyondHost("http://10.0.0.5:8443")).isEqualTo("http://10.0.0.5:8443/****");
    assertThat(Secrets.maskUrlBeyondHost("not a url")).isEqualTo("****");
    // A password with an @ or a / in it: the host is the part after the last @, or, past a /, cannot be told.
    assertThat(Secrets.maskUrlBeyondHost("https://user:p@ssw0rd@hooks.example/services/T0/B0/XXXX"))
      .isEqualTo("https://hooks.example/****");
    assertThat(Secrets.maskUrlBeyondHost("https://user:pa/ss@hooks.example/services/T0")).isEqualTo("https://****");
    assertThat(Secrets.maskUrlBeyondHost("https://hooks.example/p@th/T0")).isEqualTo("https://****");
    assertThat(Secrets.maskUrlBeyondHost("https://hooks.example?to=a@b")).isEqualTo("https://hooks.example/****");
  }
}
