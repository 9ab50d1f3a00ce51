package org.dpn4j.crf;

import java.util.Arrays;
import org.dpn4j.util.Simd;
import org.dpn4j.util.Parallel;

/**
 * Gaussian filtering on the permutohedral lattice (Adams, Baek and Davis, Eurographics 2010), as in
 * Krähenbühl's 2013 densecrf library: the approximation of {@code sum_j exp(-|f_i - f_j|^2 / 2) in_j}
 * that the dense CRF uses (DESIGN.md section 5).
 *
 * <ul>
 *   <li>Embedding: a feature f (d numbers) is elevated onto the plane {@code sum = 0} of R^{d+1}
 *       after scaling coordinate i by {@code sqrt(2/3) (d+1) / sqrt((i+1)(i+2))}; the enclosing
 *       simplex of the lattice (d+1) A_d* is found by rounding to the nearest remainder-0 point and
 *       sorting the differences (the rank), and the point is spread over the simplex's d+1 vertices
 *       by its barycentric weights.
 *   <li>Splat: every vertex sums the barycentric-weighted values of the points around it.
 *   <li>Blur: [1/2, 1, 1/2] along each of the d+1 lattice axes in turn (axis 0 first), the
 *       neighbours of a vertex along axis j being key +- ((d+1) e_j - 1); vertices that no point
 *       touched count as zero.
 *   <li>Slice: every point gathers its simplex's vertices with the same barycentric weights, times
 *       {@code alpha = 1 / (1 + 2^-d)}.
 * </ul>
 *
 * On a 2-D grid with features (x, y) / 3 the impulse response is 0.81, 0.81, 0.69, 0.53, 0.14 at
 * 0, 1, 2, 3, 6 pixels (the exact Gaussian: 1, 0.95, 0.80, 0.61, 0.14). The operator is symmetric
 * only approximately: the axes are blurred in a fixed order over a sparse set of vertices.
 *
 * <p>Speed: a vertex key (d integers) is packed into one long with a fixed bit field per coordinate
 * (sized from the range of the features), so the hash table, the neighbour look-ups (key plus a
 * constant) and the simplex walk are integer additions. All values of a point (every label) move
 * together as 8-float vectors ({@link CrfVectors}; without the Vector API the plain loops here). Splat scatters the points in order (one buffer per thread, summed
 * after), blur and slice run in parallel over disjoint ranges of vertices and points; buffers are
 * kept from call to call. With several threads, construction locates ranges of points into
 * per-thread tables and merges them.
 */
public final class PermutohedralLattice implements GaussianFilter {
  private static final int GRAIN = 4096;

  private final int n;
  private final int d;
  private final float alpha;
  private final float[] features;
  private final KeyPacking packing;
  private final VertexTable table;
  /** Number of vertices M; row M of the value buffers is the always-zero "missing" vertex. */
  private final int m;
  /** Per point, d+1 entries (one per simplex vertex, by remainder): vertex id and weight. */
  private final int[] offset;
  private final float[] barycentric;
  /** Per axis j, per vertex v: the neighbours key + u_j and key - u_j at [j * m + v] (m if absent). */
  private final int[] blurPlus;
  private final int[] blurMinus;

  /** The blurred values after {@link #prepare} (partials[0] or blurred) and their size per vertex. */
  private float[] preparedValues;
  private int preparedSize;
  /** Splat buffers, one per thread; partials[0] and blurred take turns in the blur. */
  private float[][] partials = {new float[0]};
  private float[] blurred = new float[0];
  private float[] ones = new float[0];
  private float[] selfWeights;

  /**
   * Builds the lattice of N points: {@code features[i * d + k]} is feature k of point i, already
   * divided by its standard deviation (so the filter is exp(-|f_i - f_j|^2 / 2)). The array is kept,
   * not copied, for {@link #selfWeights}: do not change it afterwards.
   */
  public PermutohedralLattice(float[] features, int d) {
    this.n = checkFeatures(features, d);
    this.d = d;
    this.features = features;
    this.alpha = (float) (1.0 / (1.0 + Math.pow(2, -d)));
    this.packing = KeyPacking.covering(features, n, new Simplex(d));
    this.offset = new int[n * (d + 1)];
    this.barycentric = new float[n * (d + 1)];
    this.table = insertAll();
    this.m = table.size();
    this.blurPlus = new int[(d + 1) * m];
    this.blurMinus = new int[(d + 1) * m];
    Ranges.forEach(m, GRAIN, this::findNeighbours);
  }

  /**
   * Locates every point and numbers the vertices. With T threads, T ranges of points are located
   * into their own tables, whose vertices are then numbered in order (range 0's first) and the
   * points' vertex ids mapped to those numbers.
   */
  private VertexTable insertAll() {
    int parts = Math.max(1, Math.min(Parallel.threads(), n / (4 * GRAIN)));
    if (parts == 1) {
      return insert(0, n);
    }
    int per = (n + parts - 1) / parts;
    VertexTable[] local = new VertexTable[parts];
    Parallel.forEach(parts, k -> local[k] = insert(k * per, Math.min(n, (k + 1) * per)));
    VertexTable global = local[0];
    int[][] ids = new int[parts][];
    for (int k = 1; k < parts; k++) {
      ids[k] = new int[local[k].size()];
      for (int id = 0; id < ids[k].length; id++) {
        ids[k][id] = global.findOrInsert(local[k].key(id));
      }
    }
    Parallel.forEach(
        parts - 1,
        k -> {
          int[] map = ids[k + 1];
          for (int e = (k + 1) * per * (d + 1); e < Math.min(n, (k + 2) * per) * (d + 1); e++) {
            offset[e] = map[offset[e]];
          }
        });
    return global;
  }

  /** Locates the points [from, to), filling their offsets and weights; returns their vertices. */
  private VertexTable insert(int from, int to) {
    Simplex simplex = new Simplex(d);
    // Small to start with: the table grows, and a small one stays in cache.
    VertexTable vertices = new VertexTable(4096);
    long[] keys = new long[d + 1];
    long[] previous = new long[d + 1];
    Arrays.fill(previous, -1L);
    for (int i = from; i < to; i++) {
      simplex.locate(features, i * d);
      simplex.vertexKeys(packing, keys);
      int e = i * (d + 1);
      for (int r = 0; r <= d; r++) {
        // Neighbouring points often share a simplex: reuse the previous point's look-up.
        offset[e + r] = keys[r] == previous[r] ? offset[e + r - d - 1] : vertices.findOrInsert(keys[r]);
        barycentric[e + r] = simplex.barycentric[r];
      }
      long[] t = previous;
      previous = keys;
      keys = t;
    }
    return vertices;
  }

  /** Blur neighbours of the vertices [v0, v1) along every axis. */
  private void findNeighbours(int v0, int v1) {
    for (int j = 0; j <= d; j++) {
      long axis = packing.axis(j);
      for (int v = v0; v < v1; v++) {
        long key = table.key(v);
        blurPlus[j * m + v] = orMissing(table.find(key + axis));
        blurMinus[j * m + v] = orMissing(table.find(key - axis));
      }
    }
  }

  /** Checks a feature array (finite values, a whole number of points); returns the point count. */
  static int checkFeatures(float[] features, int d) {
    if (d < 1 || d > 30) {
      throw new IllegalArgumentException("feature dimension must be in 1..30, got " + d);
    }
    if (features.length == 0 || features.length % d != 0) {
      throw new IllegalArgumentException(
          "features hold " + features.length + " values, not a positive multiple of d = " + d);
    }
    for (int i = 0; i < features.length; i++) {
      if (!Float.isFinite(features[i])) {
        throw new IllegalArgumentException(
            "feature " + (i % d) + " of point " + (i / d) + " is " + features[i] + " (must be finite)");
      }
    }
    return features.length / d;
  }

  private int orMissing(int id) {
    return id < 0 ? m : id;
  }

  @Override
  public int points() {
    return n;
  }

  /** Number of lattice vertices that some point touches. */
  public int vertices() {
    return m;
  }

  /** Feature dimension d. */
  public int dimension() {
    return d;
  }

  /** Splat and blur: the blurred vertex values are kept for {@link #slice}. */
  @Override
  public void prepare(float[] in, int valueSize, float[] inScale) {
    checkInput(in, valueSize, inScale);
    ensureBuffers(valueSize);
    float[] src = splatAll(in, valueSize, inScale == null ? ones : inScale);
    float[] dst = blurred;
    for (int j = 0; j <= d; j++) {
      float[] s = src;
      float[] t = dst;
      int axis = j;
      Ranges.forEach(m, GRAIN, (v0, v1) -> blur(axis, s, t, valueSize, v0, v1));
      dst = src;
      src = t;
    }
    preparedValues = src;
    preparedSize = valueSize;
  }

  /** Gathers each point's simplex vertices with its barycentric weights, times alpha. */
  @Override
  public void slice(
      float[] out, int outOffset, int from, int to, float[] outScale, float weight, boolean accumulate) {
    if (preparedValues == null) {
      throw new IllegalStateException("prepare the lattice before slicing");
    }
    int vs = preparedSize;
    checkOutput(out, outOffset, from, to, vs, outScale);
    float[] src = preparedValues;
    float scale = alpha * weight;
    int vb = vectorBound(vs);
    for (int i = from; i < to; i++) {
      float s = outScale == null ? scale : scale * outScale[i];
      int e0 = i * (d + 1);
      int row = outOffset + (i - from) * vs;
      if (vb > 0) {
        CrfVectors.slice(out, row, src, offset, barycentric, e0, d, vs, vb, s, accumulate);
      }
      for (int c = vb; c < vs; c++) {
        float acc = 0;
        for (int e = e0; e <= e0 + d; e++) {
          acc += barycentric[e] * s * src[offset[e] * vs + c];
        }
        out[row + c] = accumulate ? out[row + c] + acc : acc;
      }
    }
  }

  /**
   * Splat of all points, into partials[0]: with T threads, T contiguous ranges of points each
   * scatter into their own buffer, which are then summed (no two threads write one row).
   */
  private float[] splatAll(float[] in, int vs, float[] inScale) {
    float[][] parts = partials;
    if (parts.length == 1) {
      splat(in, vs, inScale, parts[0], 0, n);
    } else {
      int per = (n + parts.length - 1) / parts.length;
      Parallel.forEach(
          parts.length, k -> splat(in, vs, inScale, parts[k], k * per, Math.min(n, (k + 1) * per)));
      Ranges.forEach(m, GRAIN, (v0, v1) -> sumParts(parts, vs, v0, v1));
    }
    return parts[0];
  }

  private void ensureBuffers(int valueSize) {
    int need = (m + 1) * valueSize;
    int parts = Math.max(1, Math.min(Parallel.threads(), n / GRAIN));
    if (partials.length != parts || partials[0].length < need) {
      partials = new float[parts][];
      for (int k = 0; k < parts; k++) {
        // Row m of partials[0] is the missing vertex: zero, and no one writes it.
        partials[k] = new float[need];
      }
    }
    if (blurred.length < need) {
      blurred = new float[need];
    }
    Arrays.fill(partials[0], m * valueSize, need, 0f);
    Arrays.fill(blurred, m * valueSize, need, 0f);
    if (ones.length != n) {
      ones = new float[n];
      Arrays.fill(ones, 1f);
    }
  }

  /**
   * Scatters the points [i0, i1) into {@code dst} (zeroed first). Points are read in order, so the
   * input streams from memory while the vertices' rows (M x valueSize, small) stay in cache.
   */
  private void splat(float[] in, int vs, float[] inScale, float[] dst, int i0, int i1) {
    Arrays.fill(dst, 0, m * vs, 0f);
    int vb = vectorBound(vs);
    for (int i = i0; i < i1; i++) {
      float s = inScale[i];
      int e0 = i * (d + 1);
      int row = i * vs;
      for (int e = e0; e <= e0 + d; e++) {
        int dstRow = offset[e] * vs;
        float w = barycentric[e] * s;
        if (vb > 0) {
          CrfVectors.splat(in, row, dst, dstRow, w, vb);
        }
        for (int c = vb; c < vs; c++) {
          dst[dstRow + c] += w * in[row + c];
        }
      }
    }
  }

  /** Adds the other parts' splats into part 0, over the vertices [v0, v1). */
  private void sumParts(float[][] parts, int vs, int v0, int v1) {
    float[] sum = parts[0];
    int bound = v0 * vs + vectorBound((v1 - v0) * vs);
    for (int k = 1; k < parts.length; k++) {
      float[] part = parts[k];
      if (bound > v0 * vs) {
        CrfVectors.add(sum, part, v0 * vs, bound);
      }
      for (int c = bound; c < v1 * vs; c++) {
        sum[c] += part[c];
      }
    }
  }

  /** The values [0, bound) of a row that the vector loops take; the plain loops take the rest. */
  private static int vectorBound(int vs) {
    return Simd.VECTOR ? CrfVectors.loopBound(vs) : 0;
  }

  private void blur(int axis, float[] src, float[] dst, int vs, int v0, int v1) {
    int vb = vectorBound(vs);
    int base = axis * m;
    for (int v = v0; v < v1; v++) {
      int row = v * vs;
      int plus = blurPlus[base + v] * vs;
      int minus = blurMinus[base + v] * vs;
      if (vb > 0) {
        CrfVectors.blur(src, dst, row, plus, minus, vb);
      }
      for (int c = vb; c < vs; c++) {
        dst[row + c] = src[row + c] + 0.5f * (src[plus + c] + src[minus + c]);
      }
    }
  }

  /**
   * The diagonal of the lattice operator, {@code alpha * sum_{r,s} b_r b_s B(v_r, v_s)} over the
   * vertices v_r of a point's simplex, B being the blur's response. Blurring moves mass by
   * {@code c_j u_j} along axis j with weight 1/2 for c_j = +-1, so B(a, b) sums {@code 2^-nnz(c)}
   * over the c in {-1, 0, 1}^{d+1} with {@code sum_j c_j u_j = b - a} whose path (axes in blur
   * order) runs over existing vertices only; as {@code sum_j u_j = 0}, there are two such c for two
   * distinct vertices of a simplex and three for a = b. Computed once, on first use.
   */
  @Override
  public synchronized float[] selfWeights() {
    if (selfWeights == null) {
      float[] w = new float[n];
      Simplex simplex = new Simplex(d);
      long[] keys = new long[d + 1];
      int all = (1 << (d + 1)) - 1;
      for (int i = 0; i < n; i++) {
        simplex.locate(features, i * d);
        simplex.vertexKeys(packing, keys);
        double sum = 0;
        for (int r = 0; r <= d; r++) {
          for (int s = 0; s <= d; s++) {
            double response;
            if (r == s) {
              response = 1 + Math.pow(0.5, d + 1) * (path(keys[r], all, 1) + path(keys[r], all, -1));
            } else {
              // v_s - v_r = -sign * sum of u_j over the axes whose rank lies in (d - max, d - min].
              int axes = simplex.axesBetween(Math.min(r, s), Math.max(r, s));
              int sign = r < s ? -1 : 1;
              response =
                  Math.pow(0.5, Integer.bitCount(axes)) * path(keys[r], axes, sign)
                      + Math.pow(0.5, d + 1 - Integer.bitCount(axes)) * path(keys[r], all & ~axes, -sign);
            }
            sum += simplex.barycentric[r] * simplex.barycentric[s] * response;
          }
        }
        w[i] = (float) (alpha * sum);
      }
      selfWeights = w;
    }
    return selfWeights.clone();
  }

  /** 1 if every vertex on the way from {@code key} along {@code sign * u_j}, j in axes (in order), exists. */
  private int path(long key, int axes, int sign) {
    long p = key;
    int last = 31 - Integer.numberOfLeadingZeros(axes);
    for (int j = 0; j < last; j++) {
      if ((axes & (1 << j)) != 0) {
        p += sign * packing.axis(j);
        if (table.find(p) < 0) {
          return 0;
        }
      }
    }
    return 1;
  }

  /**
   * The simplex of the lattice enclosing one point: the remainder-0 vertex rem0, the rank of each
   * coordinate and the barycentric weights (Adams et al. 2010, p. 5-10), with the 2013 library's
   * float arithmetic.
   */
  static final class Simplex {
    final int d;
    final float[] scale;
    final float[] elevated;
    final int[] rem0;
    final int[] rank;
    final float[] barycentric;
    /** The coordinate of each rank. */
    private final int[] byRank;
    private final float[] residual;

    Simplex(int d) {
      this.d = d;
      this.scale = new float[d];
      this.elevated = new float[d + 1];
      this.rem0 = new int[d + 1];
      this.rank = new int[d + 1];
      this.barycentric = new float[d + 1];
      this.byRank = new int[d + 1];
      this.residual = new float[d + 1];
      float invStdDev = (float) (Math.sqrt(2.0 / 3.0) * (d + 1));
      for (int i = 0; i < d; i++) {
        scale[i] = (float) (1.0 / Math.sqrt((i + 2) * (i + 1)) * invStdDev);
      }
    }

    /** Elevates the feature at {@code f[off .. off+d)} onto the plane sum = 0 of R^{d+1}. */
    void elevate(float[] f, int off) {
      float sm = 0;
      for (int j = d; j > 0; j--) {
        float cf = f[off + j - 1] * scale[j - 1];
        elevated[j] = sm - j * cf;
        sm += cf;
      }
      elevated[0] = sm;
    }

    void locate(float[] f, int off) {
      elevate(f, off);
      float down = 1f / (d + 1);
      int sum = 0;
      for (int i = 0; i <= d; i++) {
        int v = (int) Math.rint(down * elevated[i]);
        rem0[i] = v * (d + 1);
        sum += v;
        residual[i] = elevated[i] - rem0[i];
        rank[i] = 0;
      }
      // Branch-free: the comparisons are data dependent and would mispredict half of the time.
      for (int i = 0; i < d; i++) {
        float di = residual[i];
        int ri = rank[i];
        for (int j = i + 1; j <= d; j++) {
          int c = di < residual[j] ? 1 : 0;
          ri += c;
          rank[j] += 1 - c;
        }
        rank[i] = ri;
      }
      // Off the plane sum = 0: shift the out-of-range ranks (and their rem0) back.
      for (int i = 0; i <= d; i++) {
        int r = rank[i] + sum;
        int wrap = r < 0 ? d + 1 : (r > d ? -(d + 1) : 0);
        rank[i] = r + wrap;
        rem0[i] += wrap;
        byRank[rank[i]] = i;
      }
      // Barycentric weight of vertex r: the gap between the residuals of rank d-r and d-r+1.
      float previous = (elevated[byRank[d]] - rem0[byRank[d]]) * down;
      float first = previous;
      for (int r = 1; r <= d; r++) {
        int k = byRank[d - r];
        float v = (elevated[k] - rem0[k]) * down;
        barycentric[r] = v - previous;
        previous = v;
      }
      barycentric[0] = first + (1f - previous);
    }

    /**
     * The packed keys of the simplex's vertices by remainder r: {@code rem0 + r - (d+1) [rank > d-r]};
     * going from r to r+1 adds 1 to every coordinate and takes d+1 from the one of rank d - r.
     */
    void vertexKeys(KeyPacking packing, long[] keys) {
      long key = packing.pack(rem0);
      keys[0] = key;
      for (int r = 0; r < d; r++) {
        key += packing.ones() - (d + 1) * packing.unit(byRank[d - r]);
        keys[r + 1] = key;
      }
    }

    /** Bit mask of the coordinates whose rank lies in (d - s, d - r], for r < s. */
    int axesBetween(int r, int s) {
      int mask = 0;
      for (int k = 0; k <= d; k++) {
        if (rank[k] > d - s && rank[k] <= d - r) {
          mask |= 1 << k;
        }
      }
      return mask;
    }
  }

  /**
   * Packs the first d coordinates of a lattice point (the last is minus their sum) into one
   * non-negative long: coordinate k, shifted by -lo[k], in its own bit field. Fields are sized from
   * the elevated features' range plus a margin for rounding, simplex vertices, blur neighbours and
   * the self-weight paths (5 (d+1)), so adding the packed form of a small offset never carries
   * across fields.
   */
  static final class KeyPacking {
    private final int d;
    private final int[] lo;
    private final long[] unit;
    private final long ones;
    private final long[] axis;

    private KeyPacking(int d, int[] lo, int[] bits) {
      this.d = d;
      this.lo = lo;
      this.unit = new long[d];
      long o = 0;
      int shift = 0;
      for (int k = 0; k < d; k++) {
        unit[k] = 1L << shift;
        o += unit[k];
        shift += bits[k];
      }
      this.ones = o;
      this.axis = new long[d + 1];
      for (int j = 0; j <= d; j++) {
        axis[j] = (j < d ? (d + 1) * unit[j] : 0) - ones;
      }
    }

    static KeyPacking covering(float[] features, int n, Simplex simplex) {
      int d = simplex.d;
      float[] min = new float[d];
      float[] max = new float[d];
      Arrays.fill(min, Float.POSITIVE_INFINITY);
      Arrays.fill(max, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < n; i++) {
        simplex.elevate(features, i * d);
        for (int k = 0; k < d; k++) {
          min[k] = Math.min(min[k], simplex.elevated[k]);
          max[k] = Math.max(max[k], simplex.elevated[k]);
        }
      }
      int margin = 5 * (d + 1);
      int[] lo = new int[d];
      int[] bits = new int[d];
      int total = 0;
      for (int k = 0; k < d; k++) {
        lo[k] = (int) Math.floor(min[k]) - margin;
        long range = (long) Math.ceil(max[k]) + margin - lo[k] + 1;
        bits[k] = 64 - Long.numberOfLeadingZeros(range);
        total += bits[k];
      }
      if (total > 63) {
        throw new IllegalArgumentException(
            "the features span too wide a range for the lattice's 64-bit vertex keys ("
                + total + " bits for " + d + " dimensions): use larger standard deviations (sxy, srgb)");
      }
      return new KeyPacking(d, lo, bits);
    }

    long pack(int[] coords) {
      long key = 0;
      for (int k = 0; k < d; k++) {
        key += (coords[k] - lo[k]) * unit[k];
      }
      return key;
    }

    /** The packed unit vector of coordinate k; 0 for k = d, the coordinate that is not stored. */
    long unit(int k) {
      return k < d ? unit[k] : 0;
    }

    long ones() {
      return ones;
    }

    /** The packed lattice step u_j = (d+1) e_j - 1 (axis d: -1 on every stored coordinate). */
    long axis(int j) {
      return axis[j];
    }
  }

  /** Open-addressing hash table (linear probing) from packed keys to vertex ids 0, 1, 2, ... */
  static final class VertexTable {
    private static final long EMPTY = -1L;
    /** Slot h holds a key at [2h] and its id at [2h + 1]: one cache line per probe. */
    private long[] slots;
    private int mask;
    private int shift;
    private long[] keys = new long[1024];
    private int size;

    VertexTable(int capacity) {
      allocate(Integer.highestOneBit(Math.max(16, capacity - 1)) << 1);
    }

    private void allocate(int capacity) {
      slots = new long[2 * capacity];
      Arrays.fill(slots, EMPTY);
      mask = capacity - 1;
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int home(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int size() {
      return size;
    }

    long key(int id) {
      return keys[id];
    }

    int find(long key) {
      for (int h = home(key); ; h = (h + 1) & mask) {
        long s = slots[2 * h];
        if (s == key) {
          return (int) slots[2 * h + 1];
        }
        if (s == EMPTY) {
          return -1;
        }
      }
    }

    int findOrInsert(long key) {
      int h = home(key);
      for (; ; h = (h + 1) & mask) {
        long s = slots[2 * h];
        if (s == key) {
          return (int) slots[2 * h + 1];
        }
        if (s == EMPTY) {
          break;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
      }
      keys[size] = key;
      slots[2 * h] = key;
      slots[2 * h + 1] = size;
      if (2 * ++size > mask + 1) {
        rehash();
      }
      return size - 1;
    }

    private void rehash() {
      allocate(2 * (mask + 1));
      for (int id = 0; id < size; id++) {
        int h = home(keys[id]);
        while (slots[2 * h] != EMPTY) {
          h = (h + 1) & mask;
        }
        slots[2 * h] = keys[id];
        slots[2 * h + 1] = id;
      }
    }
  }
}
