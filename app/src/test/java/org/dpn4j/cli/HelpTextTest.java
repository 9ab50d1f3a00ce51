package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's help is picocli's to wrap (no hard line breaks in a description), names the
 * default of every option that has one, and {@code --version} is the build's. (One line per error,
 * without a stack trace: {@link ExitCodesTest}.)
 */
class HelpTextTest {

  /** A description element that ends mid-sentence was broken by hand. */
  private static final Pattern MID_SENTENCE = Pattern.compile(".*[\\p{Ll},;(]$");

  @Test
  void noDescriptionIsBrokenByHand() {
    List<String> broken = new ArrayList<>();
    for (CommandLine c : commands(Main.commandLine())) {
      CommandSpec spec = c.getCommandSpec();
      check(spec.qualifiedName(), spec.usageMessage().description(), broken);
      check(spec.qualifiedName() + " (header)", spec.usageMessage().header(), broken);
      for (OptionSpec o : spec.options()) {
        check(spec.qualifiedName() + " " + o.longestName(), o.description(), broken);
      }
    }
    assertEquals(List.of(), broken, "description lines that end mid-sentence (hard line breaks)");
  }

  @Test
  void everyDefaultIsNamedInTheHelp() {
    List<String> missing = new ArrayList<>();
    for (CommandLine c : commands(Main.commandLine())) {
      for (OptionSpec o : c.getCommandSpec().options()) {
        String def = o.defaultValue();
        if (def == null || o.usageHelp() || o.versionHelp()) {
          continue;
        }
        String text = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", def);
        if (!text.contains(def)) {
          missing.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + " (default " + def + ")");
        }
      }
    }
    assertEquals(List.of(), missing, "options whose --help does not name their default");
  }

  @Test
  void versionIsTheBuilds() {
    CommandRun run = CommandRun.of(Main.commandLine(), "--version");
    assertEquals(0, run.exitCode(), run.toString());
    String number = Main.Version.number();
    assertTrue(number.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), number);
    assertEquals("dpn4j " + number, run.out().strip());
  }

  private static void check(String where, String[] lines, List<String> broken) {
    for (String line : lines) {
      if (MID_SENTENCE.matcher(line.replace("%n", "").strip()).matches()) {
        broken.add(where + ": \"" + line + "\"");
      }
    }
  }

  private static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>(List.of(root));
    root.getSubcommands().values().forEach(c -> {
      if (!all.contains(c)) {
        all.addAll(commands(c));
      }
    });
    return all;
  }
}
