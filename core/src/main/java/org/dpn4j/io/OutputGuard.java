package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule that nothing a user made is overwritten, checked before any work: a command declares
 * its inputs (files, and folders nothing may be written into, such as a dataset's images and
 * labels) and every output it will write, then calls {@link #check()}, which refuses the run with
 * every problem at once: an output that is an input (by path, symbolic link or hard link), an
 * output inside an input folder, two inputs that would write the same output, an output that exists
 * and is not a regular file. Replacing an earlier result that is not an input stays allowed (a
 * re-run of {@code dpn segment} into the same folder).
 *
 * <pre>{@code
 * OutputGuard guard = new OutputGuard().inputs(images);
 * images.forEach(i -> guard.output(out.resolve(stem(i) + ".png"), i));
 * guard.check();
 * }</pre>
 */
public final class OutputGuard {

  private final Map<Path, Path> inputFiles = new LinkedHashMap<>();
  private final Map<Object, Path> inputKeys = new HashMap<>();
  private final Map<Path, String> folders = new LinkedHashMap<>();
  private final Map<Path, Output> outputs = new LinkedHashMap<>();

  /** One planned output: the path given and what writes it. */
  private record Output(Path path, List<String> sources) {}

  /**
   * An input of the run: a file is never written; a folder (a model directory, a folder of frames
   * given as a whole) has nothing written at or below it.
   */
  public OutputGuard input(Path p) {
    if (p == null) {
      return this;
    }
    if (Files.isDirectory(p)) {
      return folder(p, "the input folder " + p);
    }
    inputFiles.put(canonical(p), p);
    Object key = fileKey(p);
    if (key != null) {
      inputKeys.put(key, p);
    }
    return this;
  }

  /** Every path of {@code paths} as an {@link #input}. */
  public OutputGuard inputs(Collection<Path> paths) {
    paths.forEach(this::input);
    return this;
  }

  /** A folder nothing may be written into (at or below it); {@code what} names it in the refusal. */
  public OutputGuard folder(Path dir, String what) {
    folders.putIfAbsent(canonical(dir), what);
    return this;
  }

  /** A planned output written from nothing in particular (a legend, a summary file). */
  public Path output(Path file) {
    return output(file, null);
  }

  /** A planned output written from {@code source} (an input), named when two sources clash; null: none. */
  public Path output(Path file, Object source) {
    if (file == null) {
      return null;
    }
    Output o = outputs.computeIfAbsent(canonical(file), k -> new Output(file, new ArrayList<>()));
    o.sources.add(source == null ? "(" + file.getFileName() + ")" : source.toString());
    return file;
  }

  /**
   * Refuses the run, with every problem found, if an output would overwrite an input, write into a
   * protected folder, be written by two inputs, or replace something that is not a regular file.
   *
   * @throws IllegalArgumentException naming each output and the reason (bad usage: exit code 2)
   */
  public void check() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Path, Output> e : outputs.entrySet()) {
      String p = problem(e.getKey(), e.getValue());
      if (p != null) {
        problems.add(p);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.size() == 1 ? problems.get(0)
          : problems.size() + " outputs refused:\n  " + String.join("\n  ", problems));
    }
  }

  private String problem(Path canonical, Output o) {
    Path input = inputFiles.get(canonical);
    Object key = fileKey(o.path);
    if (input == null && key != null) {
      input = inputKeys.get(key);
    }
    if (input != null) {
      return o.path + " is the input " + input + ": refusing to overwrite it (choose another output)";
    }
    for (Map.Entry<Path, String> f : folders.entrySet()) {
      if (canonical.startsWith(f.getKey())) {
        return o.path + " is inside " + f.getValue() + ": refusing to write there (choose another output folder)";
      }
    }
    if (o.sources.size() > 1) {
      return o.path + " would be written " + o.sources.size() + " times in one run, each replacing the last, for: "
          + String.join(", ", o.sources) + " (rename the inputs or use separate output folders)";
    }
    if (Files.exists(o.path) && !Files.isRegularFile(o.path)) {
      return o.path + " exists and is not a regular file (a folder or a device): refusing to replace it";
    }
    return null;
  }

  /** The path with every existing part's links resolved: two names of one file give one path. */
  static Path canonical(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }

  /** The file system's identity of an existing regular file (device and inode on Linux): hard links share it. */
  private static Object fileKey(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.isRegularFile() ? a.fileKey() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
