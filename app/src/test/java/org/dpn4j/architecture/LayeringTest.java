package org.dpn4j.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/ARCHITECTURE.md as tests, over the production classes of every module on this
 * classpath (the library and the commands): value types at the bottom, then files and data, then the
 * models, then models as a whole, training and metrics, and the commands on top. A package never
 * imports one above it and no two packages depend on each other.
 */
class LayeringTest {

  private static final String ROOT = "org.dpn4j";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")) // core's test fixtures
        .importPackages(ROOT);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void valueTypesDependOnNothingOfTheProject() {
    noClasses().that().resideInAPackage(ROOT + ".value..")
        .should().dependOnClassesThat().resideOutsideOfPackages(ROOT + ".value..", "java..")
        .check(classes);
  }

  @Test
  void layersOnlyLookDown() {
    layeredArchitecture().consideringOnlyDependenciesInAnyPackage(ROOT + "..")
        .layer("value").definedBy(ROOT + ".value..", ROOT + ".util..")
        .layer("files").definedBy(ROOT + ".io..", ROOT + ".data..")
        .layer("models").definedBy(ROOT + ".video..", ROOT + ".head..", ROOT + ".unary..", ROOT + ".crf..")
        .layer("whole").definedBy(ROOT + ".model..", ROOT + ".train..", ROOT + ".eval..",
            ROOT + ".plot..", ROOT + ".bench..")
        .layer("commands").definedBy(ROOT + ".cli..", ROOT + ".serve..", ROOT + ".spark..")
        .whereLayer("commands").mayNotBeAccessedByAnyLayer()
        .whereLayer("whole").mayOnlyBeAccessedByLayers("commands")
        .whereLayer("models").mayOnlyBeAccessedByLayers("whole", "commands")
        .whereLayer("files").mayOnlyBeAccessedByLayers("models", "whole", "commands")
        .withOptionalLayers(true)
        .check(classes);
  }

  @Test
  void picocliOnlyInTheCommands() {
    noClasses().that().resideOutsideOfPackages(ROOT + ".cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void commandsLiveInTheCommandLayer() {
    classes().that().haveSimpleNameEndingWith("Command")
        .should().resideInAnyPackage(ROOT + ".cli..", ROOT + ".serve..", ROOT + ".spark..")
        .check(classes);
  }
}
