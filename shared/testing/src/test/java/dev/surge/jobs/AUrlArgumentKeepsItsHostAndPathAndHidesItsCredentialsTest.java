package dev.surge.jobs;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A URL declared secret in part ({@link SecretArgs#withUrls}) is given back with its user info, query and fragment
 * masked, and those parts are masked in any text about the job; its scheme, host and path stay readable.
 */
class AUrlArgumentKeepsItsHostAndPathAndHidesItsCredentialsTest {

  private static final SecretArgs SECRETS = SecretArgs.of("headers.*").withUrls("url", "hooks.*");

  // Where the host cannot be told for sure (no scheme, a backslash, an @ after a /), the whole URL is masked.
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
    https://user:pa55word@hooks.example/path?token=TOPSECRET#frag | https://***@hooks.example/path?***#***
    https://hooks.example/path?token=TOPSECRET                    | https://hooks.example/path?***
    https://hooks.example:8443/a/b                                | https://hooks.example:8443/a/b
    http://user@hooks.example                                     | http://***@hooks.example
    https://hooks.example/p@th?x=1                                | ***
    https://user:pa/ss@hooks.example/path                         | ***
    https://user:p@ss@hooks.example/path?t=1                      | https://***@hooks.example/path?***
    //user:pass@hooks.example/path                                | ***
    https:\\\\user:pass@hooks.example\\path                        | ***
    user:pass@hooks.example/path?token=abc                        | ***
    https://hooks.example?q=a@b                                   | https://hooks.example?***
    'https://us er:pa ss@hooks.example/with space?t=s e c'        | 'https://***@hooks.example/with space?***'
    """)
  void theUrlIsGivenBackMasked(String url, String masked) {
    assertThat(SECRETS.redact(new JsonObject().put("url", url)).getString("url")).isEqualTo(masked);
  }

  @Test
  void urlsNestedUnderAWildcardAreMaskedAndOtherArgumentsLeftAlone() {
    JsonObject args = new JsonObject().put("url", "https://a.example/").put("region", "eu-west?x")
      .put("hooks", new JsonObject().put("done", "https://b.example/d?key=K3Y-42").put("failed", 7));
    JsonObject redacted = SECRETS.redact(args);
    assertThat(redacted.getString("url")).isEqualTo("https://a.example/");
    assertThat(redacted.getString("region")).isEqualTo("eu-west?x");
    assertThat(redacted.getJsonObject("hooks").getString("done")).isEqualTo("https://b.example/d?***");
    assertThat(redacted.getJsonObject("hooks").getValue("failed")).as("not a string: masked whole").isEqualTo("***");
    assertThat(args.getJsonObject("hooks").getString("done")).as("the arguments themselves").contains("K3Y-42");
  }

  @Test
  void theSecretPartsAreMaskedInTextAboutTheJob() {
    JsonObject args = new JsonObject().put("url", "https://user:pa55word@hooks.example/p?token=TOPSECRET");
    assertThat(SECRETS.scrub(args, "refused with pa55word, then user:pa55word, for token=TOPSECRET at hooks.example"))
      .isEqualTo("refused with ***, then ***, for *** at hooks.example");
  }
}
