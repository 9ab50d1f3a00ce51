package org.dpn4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy's {@code .npz} archives: a zip of {@code KEY.npy} members, stored ({@code np.savez}) or
 * deflated ({@code np.savez_compressed}). A member is chosen by its key, the name without
 * {@code .npy}; without a key the archive must hold exactly one array.
 */
final class NpzArchive {

  private NpzArchive() {}

  /** Array {@code key} of {@code file} (null: the only one), read as {@link Npy#parse} reads a .npy file. */
  static Npy.NpyArray read(Path file, String key) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> keys = new ArrayList<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (!e.isDirectory()) {
          keys.add(e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName());
        }
      }
      String chosen = choose(file, keys, key);
      ZipEntry entry = zip.getEntry(chosen + ".npy");
      if (entry == null) {
        throw new IOException(file + ": member '" + chosen + "' is not a .npy array");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return Npy.parse(in.readAllBytes(), file + "[" + chosen + "]");
      }
    } catch (ZipException e) {
      throw new IOException(file + ": not a readable .npz archive (" + e.getMessage() + ")", e);
    }
  }

  private static String choose(Path file, List<String> keys, String key) throws IOException {
    if (key != null) {
      if (!keys.contains(key)) {
        throw new IOException(file + ": no array '" + key + "' in this .npz; it holds " + keys);
      }
      return key;
    }
    if (keys.size() != 1) {
      throw new IOException(file + ": " + keys.size() + " arrays " + keys + " in this .npz: choose one by its key (dpn refine: --key)");
    }
    return keys.get(0);
  }
}
