package dev.surge.orders.runtime;

import dev.surge.config.ConfigKey;
import dev.surge.orders.OrdersMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeNamesEveryOrdersKeyTest {

  @Test
  void everyKeyOfTheOrdersServiceHasARow() throws Exception {
    String readme = Files.readString(Path.of("..", "..", "README.md"));
    for (ConfigKey<?> key : List.of(OrdersMain.CATALOG_TIMEOUT, OrdersMain.WEBHOOK_URL, OrdersMain.SWEEP_AFTER,
      OrdersMain.SWEEP_INTERVAL, OrdersMain.SOLD_OUT_MEMORY, OrdersMain.MAX_LINES)) {
      assertThat(readme).contains("| `" + key.name() + "` | `" + key.envName() + "` |");
    }
  }
}
