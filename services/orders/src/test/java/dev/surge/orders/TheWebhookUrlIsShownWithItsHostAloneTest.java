package dev.surge.orders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code orders.webhookUrl} is a secret: a Slack or Discord webhook's path is its credential, so --print-config,
 * {@code GET /admin/config} and the log show its scheme and host alone.
 */
class TheWebhookUrlIsShownWithItsHostAloneTest {

  @Test
  void itsPathQueryAndUserInfoAreMasked() {
    assertThat(OrdersMain.WEBHOOK_URL.secret()).isTrue();
    assertThat(OrdersMain.WEBHOOK_URL.print("https://u:p@hooks.example/services/T000/B000/PATHSECRET123?token=q"))
      .isEqualTo("https://hooks.example/****");
  }
}
