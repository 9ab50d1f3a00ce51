package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code dpn} commands a Markdown file shows: each line of a code block (fenced, except
 * java/python/json blocks, or indented by four spaces) that holds {@code ./dpn} or starts with
 * {@code dpn}, with its continuation lines ({@code \} at the end) joined and a trailing
 * {@code # comment} dropped; and each inline code span that starts with {@code ./dpn}.
 */
final class DocCommands {

  /** One documented command: where it is and its text, whitespace collapsed, from "./dpn" or "dpn". */
  record Command(Path file, int line, String text) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + text;
    }
  }

  private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\w*).*");
  private static final Pattern INLINE = Pattern.compile("`(\\./dpn [^`]+)`");
  private static final Pattern START = Pattern.compile("(?:^|\\s)(\\./dpn|^dpn)(?=\\s|$)");
  private static final List<String> NOT_SHELL = List.of("java", "python", "json");

  private DocCommands() {}

  /** The commands of one file, in order. */
  static List<Command> in(Path markdown) throws IOException {
    List<String> lines = Files.readAllLines(markdown);
    List<Command> found = new ArrayList<>();
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher f = FENCE.matcher(line);
      if (f.matches()) {
        fence = fence == null ? f.group(1) : null;
        continue;
      }
      if (fence == null) {
        Matcher m = INLINE.matcher(line);
        while (m.find()) {
          found.add(new Command(markdown, i + 1, normalise(m.group(1))));
        }
      }
      boolean code = fence != null ? !NOT_SHELL.contains(fence) : line.startsWith("    ") && !line.contains("`");
      Matcher s = START.matcher(line.strip());
      if (!code || !s.find()) {
        continue;
      }
      int first = i;
      StringBuilder text = new StringBuilder(line.strip().substring(s.start(1)));
      while (text.toString().endsWith("\\") && i + 1 < lines.size()) {
        text.setLength(text.length() - 1);
        text.append(' ').append(lines.get(++i).strip());
      }
      found.add(new Command(markdown, first + 1, normalise(withoutComment(text.toString()))));
    }
    return found;
  }

  /** The text before a {@code #} that starts a shell comment (one after white space). */
  static String withoutComment(String line) {
    Matcher m = Pattern.compile("\\s#").matcher(line);
    return m.find() ? line.substring(0, m.start()) : line;
  }

  private static String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /**
   * A command's words as a POSIX shell splits them, without the leading {@code ./dpn} or
   * {@code dpn}: white space separates words, single and double quotes group them.
   */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    if (!words.isEmpty() && (words.get(0).equals("./dpn") || words.get(0).equals("dpn"))) {
      words.remove(0);
    }
    return words;
  }
}
