package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The inputs of the commands that take many files: each argument is a file, a folder (its files of
 * the wanted kind, not recursive, sorted by name) or a glob the shell did not expand ({@code
 * 'photos/*.jpg'}: matched within its folder). A file that does not exist is kept, so that the batch
 * reports it by name; a folder or glob that matches nothing is an error.
 */
final class InputFiles {

  /** The files a folder contributes: a file-name pattern (lower case) and its description for messages. */
  record Kind(String pattern, String description) {}

  /** Image files by extension, as {@code segment} takes them from a folder. */
  static final Kind IMAGES = new Kind(".*\\.(png|jpe?g|bmp|gif)", "png, jpg, bmp or gif");
  /** Probability files by extension, as {@code refine} takes them from a folder. */
  static final Kind ARRAYS = new Kind(".*\\.(npy|npz)", "npy or npz");

  private InputFiles() {}

  /** Every file the arguments name, in order; {@code kind} says which files of a folder count. */
  static List<Path> expand(List<Path> arguments, Kind kind) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path a : arguments) {
      if (Files.isDirectory(a)) {
        files.addAll(nonEmpty(list(a, p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(kind.pattern())),
            a, "is a folder, not an image file, and holds no " + kind.description() + " files"));
      } else if (!Files.exists(a) && isGlob(a.getFileName().toString())) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + a.getFileName());
        // A relative glob keeps relative paths, so messages name files as the user did.
        Path dir = a.getParent() == null ? Path.of("") : a.getParent();
        files.addAll(nonEmpty(list(dir, p -> m.matches(p.getFileName()) && Files.isRegularFile(p)), a,
            "no file matches"));
      } else {
        files.add(a);
      }
    }
    // The same file named twice (a folder and a glob) is processed once.
    Set<Path> seen = new HashSet<>();
    return files.stream().filter(f -> seen.add(f.toAbsolutePath().normalize())).toList();
  }

  /** True when {@code args} name more than one file or any folder or glob: the command then writes into folders. */
  static boolean isBatch(List<Path> arguments) {
    return arguments.size() > 1 || arguments.stream()
        .anyMatch(a -> Files.isDirectory(a) || (!Files.exists(a) && isGlob(a.getFileName().toString())));
  }

  private static boolean isGlob(String name) {
    return name.contains("*") || name.contains("?") || name.contains("[") || name.contains("{");
  }

  private static List<Path> list(Path dir, Predicate<Path> wanted) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(wanted).sorted().toList();
    }
  }

  private static List<Path> nonEmpty(List<Path> files, Path argument, String why) throws IOException {
    if (files.isEmpty()) {
      throw new IOException(argument + ": " + why);
    }
    return files;
  }
}
