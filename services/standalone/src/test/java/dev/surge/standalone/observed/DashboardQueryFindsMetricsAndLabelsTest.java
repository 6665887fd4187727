package dev.surge.standalone.observed;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard check reads from a query what it needs of the metrics, in the forms the dashboards use. */
class DashboardQueryFindsMetricsAndLabelsTest {

  @Test
  void aHistogramQuantileOfAnAggregatedRate() {
    DashboardQuery q = DashboardQuery.parse(
      "histogram_quantile(0.99, sum by (le, service, route) (rate(vertx_http_server_response_time_seconds_bucket[1m])))",
      "{{service}} {{route}}");
    assertThat(q.metrics()).containsExactly("vertx_http_server_response_time_seconds_bucket");
    assertThat(q.groupedBy()).containsExactly("le", "service", "route");
    assertThat(q.legendLabels()).containsExactly("service", "route");
  }

  @Test
  void matchersBelongToTheirOwnMetric() {
    DashboardQuery q = DashboardQuery.parse("sum by (service, route) (rate(a_total{code=~\"5..\", x!=\"}\"}[1m]))"
      + " / sum by (service, route) (rate(b_total[5m] offset 1m))", null);
    assertThat(q.metrics()).containsExactly("a_total", "b_total");
    assertThat(q.matchedLabels()).isEqualTo(Map.of("a_total", Set.of("code", "x")));
    assertThat(q.labelsOf("a_total")).containsExactlyInAnyOrder("service", "route", "code", "x");
    assertThat(q.labelsOf("b_total")).containsExactlyInAnyOrder("service", "route");
  }

  @Test
  void severalMetricsJoinedAndGroupedAfterwards() {
    DashboardQuery q = DashboardQuery.parse("sum(increase(r_total[5m]) + on (service) group_left(kind) "
      + "increase(s_total[5m]) * 2e3) without (instance)", "{{ kind }}");
    assertThat(q.metrics()).containsExactly("r_total", "s_total");
    assertThat(q.groupedBy()).containsExactly("service", "kind", "instance");
    assertThat(q.legendLabels()).isEqualTo(Set.of("kind"));
  }

  @Test
  void aScrapeTellsTheSeriesThatLackALabel() {
    PrometheusScrape scrape = PrometheusScrape.of(List.of("""
      # HELP x_total a counter
      # TYPE x_total counter
      x_total{service="a",address="catalog.stock"} 3.0
      x_total{service="b"} 1.0
      y 2.0 1700000000000
      """), List.of("job"));
    assertThat(scrape.has("x_total")).isTrue();
    assertThat(scrape.has("x")).isFalse();
    assertThat(scrape.without("x_total", "address")).containsExactly(Map.of("job", "target", "service", "b"));
    assertThat(scrape.without("x_total", "service")).isEmpty();
    assertThat(scrape.without("y", "job")).isEmpty();
  }
}
