package org.dpn4j.unary;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A source of named float tensors, such as a torchvision checkpoint read from a safetensors file:
 * the minimum that the unary networks' weight loaders need. Values are row-major (C order), as
 * PyTorch and safetensors store them.
 */
public interface NamedTensors {

  /** The names of all tensors in the source. */
  Set<String> names();

  /** The shape of tensor {@code name}; it must be one of {@link #names()}. */
  int[] shape(String name);

  /** The values of tensor {@code name}, row-major; it must be one of {@link #names()}. */
  float[] values(String name);

  /** One tensor held in memory. */
  record Tensor(int[] shape, float[] values) {
    public Tensor {
      long n = 1;
      for (int d : shape) {
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

  /** Tensors held in memory (tests, converters). */
  static NamedTensors of(Map<String, Tensor> tensors) {
    Map<String, Tensor> copy = new TreeMap<>(tensors);
    return new NamedTensors() {
      @Override
      public Set<String> names() {
        return copy.keySet();
      }

      @Override
      public int[] shape(String name) {
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
