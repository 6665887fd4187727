package dev.surge.http;

import dev.surge.testing.EchoService;
import dev.surge.testing.TestService;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static dev.surge.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the fuzz test found answered 500: a form body with a method that has none, a HEAD in absolute form, a
 * HEAD whose target is no path. Each is a problem the client can read.
 */
class OddRequestsAreAnsweredAsProblemsTest {

  @RegisterExtension
  static final TestService service = TestService.perClass(EchoService.definition());

  @Test
  void aFormBodyIsRefusedWith415WhateverTheMethod() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.OPTIONS, HttpMethod.POST,
      HttpMethod.valueOf("FOO")}) {
      for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
        assertProblem(service.send(method, method == HttpMethod.POST ? "/echo" : "/echo/1",
          MultiMap.caseInsensitiveMultiMap().add("Content-Type", type), "a=1"), 415, "unsupported-media-type");
      }
    }
  }

  @Test
  void aHeadRequestInAbsoluteFormIsServedLikeAGet() throws Exception {
    String response = service.raw("HEAD http://127.0.0.1:" + service.port() + "/echo/7?x=1 HTTP/1.1\r\n"
      + "Host: 127.0.0.1\r\n"
      + "Connection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-type: application/json");
  }

  @Test
  void aTargetThatIsNoPathIsA404Problem() throws Exception {
    for (String method : new String[] {"GET", "HEAD"}) {
      for (String target : new String[] {"*", "echo/7"}) {
        String response = service.raw(method + " " + target
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response).as(method + " " + target).startsWith("HTTP/1.1 404 ")
          .containsIgnoringCase("content-type: application/problem+json");
      }
    }
  }
}
