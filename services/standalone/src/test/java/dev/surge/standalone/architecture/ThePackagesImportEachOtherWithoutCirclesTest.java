package dev.surge.standalone.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The import graph of the chassis and the services, as compiled (tests aside): the chassis never reaches into a
 * service, the chassis's packages import each other without a circle, and within each service no package imports
 * one that imports it back, its main class included: the main class reads the configuration and hands each
 * feature its options; no feature reads the main class.
 */
class ThePackagesImportEachOtherWithoutCirclesTest {

  /** Each service's root package. */
  private static final List<String> SERVICES = List.of("dev.surge.catalog", "dev.surge.orders", "dev.surge.gateway",
    "dev.surge.jobservice", "dev.surge.bench", "dev.surge.standalone");
  /**
   * The chassis's packages. The root package {@code dev.surge} is left out of the circle check: it is the launcher
   * and wiring (Surge, ServiceContext, ServiceDefinition), which every package's public handle leads back to.
   */
  private static final List<String> CHASSIS = List.of("dev.surge.admin..", "dev.surge.arbiter..", "dev.surge.cluster..",
    "dev.surge.config..", "dev.surge.health..", "dev.surge.http..", "dev.surge.jobs..", "dev.surge.lifecycle..",
    "dev.surge.logging..", "dev.surge.metrics..", "dev.surge.net..", "dev.surge.pg..", "dev.surge.redis..",
    "dev.surge.embedded..", "dev.surge.testing..");

  private static final JavaClasses CLASSES = new ClassFileImporter()
    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
    // A module's tests, should one come as a test jar ("tests" classifier), are tests too.
    .withImportOption(location -> !location.contains("-tests.jar"))
    .importPackages("dev.surge");

  @Test
  void theChassisNeverImportsAService() {
    noClasses().that().resideInAnyPackage(CHASSIS.toArray(String[]::new)).or().resideInAPackage("dev.surge")
      .should().dependOnClassesThat().resideInAnyPackage(SERVICES.stream().map(s -> s + "..").toArray(String[]::new))
      .check(CLASSES);
  }

  @Test
  void theChassisPackagesImportEachOtherWithoutACircle() {
    slices().matching("dev.surge.(*)..").should().beFreeOfCycles()
      .ignoreDependency(JavaClass.Predicates.resideOutsideOfPackages(CHASSIS.toArray(String[]::new)),
        JavaClass.Predicates.resideOutsideOfPackages(CHASSIS.toArray(String[]::new)))
      .check(CLASSES.that(JavaClass.Predicates.resideInAnyPackage(CHASSIS.toArray(String[]::new))));
  }

  @Test
  void noPackageOfAServiceImportsOneThatImportsItBackTheMainClassIncluded() {
    slices().assignedFrom(new ServicePackages()).should().beFreeOfCycles().check(CLASSES);
  }

  /** A service's packages, each a slice, its root package (its main class) one of them. */
  private static final class ServicePackages implements SliceAssignment {

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      for (String root : SERVICES) {
        if (pkg.equals(root)) {
          return SliceIdentifier.of(root, "(its main package)");
        }
        if (pkg.startsWith(root + ".")) {
          String rest = pkg.substring(root.length() + 1);
          int dot = rest.indexOf('.');
          return SliceIdentifier.of(root, dot < 0 ? rest : rest.substring(0, dot));
        }
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the packages of each service, its main package among them";
    }
  }
}
