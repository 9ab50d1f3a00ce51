package org.dpn4j.unary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dpn4j.io.Safetensors;

/**
 * A source of named float tensors, such as a torchvision checkpoint read from a safetensors file:
 * the minimum that the unary networks' weight loaders need. Values are row-major (C order), as
 * PyTorch and safetensors store them.
 */
public interface NamedTensors {

  /** The names of all tensors in the source. */
  Set<String> names();

  /** The shape of tensor {@code name}; it must be one of {@link #names()}. */
  long[] shape(String name);

  /** The values of tensor {@code name}, row-major; it must be one of {@link #names()}. */
  float[] values(String name);

  /** One tensor held in memory. */
  record Tensor(long[] shape, float[] values) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
      }
    }
  }

  /** The tensors of a safetensors file (any numeric type, converted to float when read). */
  static NamedTensors of(Safetensors file) {
    Set<String> names = new TreeSet<>();
    file.tensors().forEach(info -> names.add(info.name()));
    Set<String> view = Collections.unmodifiableSet(names);
    return new NamedTensors() {
      @Override
      public Set<String> names() {
        return view;
      }

      @Override
      public long[] shape(String name) {
        return file.info(name).shape().clone();
      }

      @Override
      public float[] values(String name) {
        try {
          return file.floats(name);
        } catch (IOException e) {
          throw new UncheckedIOException(file.path() + ": cannot read tensor " + name, e);
        }
      }
    };
  }

  /** Tensors held in memory (tests, converters). */
  static NamedTensors of(Map<String, Tensor> tensors) {
    Map<String, Tensor> copy = new TreeMap<>(tensors);
    return new NamedTensors() {
      @Override
      public Set<String> names() {
        return copy.keySet();
      }

      @Override
      public long[] shape(String name) {
        return get(name).shape().clone();
      }

      @Override
      public float[] values(String name) {
        return get(name).values();
      }

      private Tensor get(String name) {
        Tensor t = copy.get(name);
        if (t == null) {
          throw new IllegalArgumentException("no tensor named " + name);
        }
        return t;
      }
    };
  }
}
