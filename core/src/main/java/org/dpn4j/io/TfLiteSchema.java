package org.dpn4j.io;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of TensorFlow Lite's {@code schema.fbs} that the reader needs: field slots of the tables,
 * the {@code TensorType} and {@code BuiltinOperator} enums, and the layouts of the builtin options
 * that the segmentation networks use. A union field takes two slots (type tag, then value).
 */
final class TfLiteSchema {
  private TfLiteSchema() {}

  // Model
  static final int MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_DESCRIPTION = 3,
      MODEL_BUFFERS = 4;
  // OperatorCode
  static final int OPCODE_DEPRECATED_BUILTIN = 0, OPCODE_CUSTOM = 1, OPCODE_VERSION = 2, OPCODE_BUILTIN = 3;
  // SubGraph
  static final int SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3,
      SUBGRAPH_NAME = 4;
  // Tensor
  static final int TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3, TENSOR_QUANTIZATION = 4,
      TENSOR_SPARSITY = 6;
  // QuantizationParameters (4, 5: the details union)
  static final int QUANT_MIN = 0, QUANT_MAX = 1, QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DIMENSION = 6;
  // Operator
  static final int OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS_TYPE = 3, OP_OPTIONS = 4;
  // Buffer (offset/size: data kept outside the flatbuffer, in files over 2 GB; valid if offset > 1)
  static final int BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2;

  /** TensorType codes 0..18 in order. */
  private static final DType[] TENSOR_TYPES = {
    DType.F32, DType.F16, DType.I32, DType.U8, DType.I64, DType.STRING, DType.BOOL, DType.I16, DType.C64,
    DType.I8, DType.F64, DType.C128, DType.U64, DType.RESOURCE, DType.VARIANT, DType.U32, DType.U16,
    DType.I4, DType.BF16
  };

  static DType tensorType(int code) {
    if (code < 0 || code >= TENSOR_TYPES.length) {
      throw new FlatBuffer.Corrupt("unknown TFLite tensor type " + code);
    }
    return TENSOR_TYPES[code];
  }

  /** BuiltinOperator names by code 0..205 (schema.fbs order). */
  private static final String[] OPERATORS = (
      "ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE EMBEDDING_LOOKUP"
      + " FLOOR FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D LOCAL_RESPONSE_NORMALIZATION"
      + " LOGISTIC LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 RESHAPE RESIZE_BILINEAR RNN"
      + " SOFTMAX SPACE_TO_DEPTH SVDF TANH CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD"
      + " UNIDIRECTIONAL_SEQUENCE_RNN GATHER BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV"
      + " SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT"
      + " LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ARG_MAX MINIMUM LESS NEG PADV2"
      + " GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV SPARSE_TO_DENSE TILE EXPAND_DIMS"
      + " EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK"
      + " LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE"
      + " FILL FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V"
      + " UNIQUE CEIL REVERSE_V2 ADD_N GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE"
      + " MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND"
      + " SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE"
      + " BROADCAST_TO RFFT2D CONV_3D IMAG REAL COMPLEX_ABS HASHTABLE HASHTABLE_FIND HASHTABLE_IMPORT"
      + " HASHTABLE_SIZE REDUCE_ALL CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE BROADCAST_ARGS"
      + " RANDOM_STANDARD_NORMAL BUCKETIZE RANDOM_UNIFORM MULTINOMIAL GELU DYNAMIC_UPDATE_SLICE RELU_0_TO_1"
      + " UNSORTED_SEGMENT_PROD UNSORTED_SEGMENT_MAX UNSORTED_SEGMENT_SUM ATAN2 UNSORTED_SEGMENT_MIN SIGN"
      + " BITCAST BITWISE_XOR RIGHT_SHIFT STABLEHLO_LOGISTIC STABLEHLO_ADD STABLEHLO_DIVIDE STABLEHLO_MULTIPLY"
      + " STABLEHLO_MAXIMUM STABLEHLO_RESHAPE STABLEHLO_CLAMP STABLEHLO_CONCATENATE STABLEHLO_BROADCAST_IN_DIM"
      + " STABLEHLO_CONVOLUTION STABLEHLO_SLICE STABLEHLO_CUSTOM_CALL STABLEHLO_REDUCE STABLEHLO_ABS"
      + " STABLEHLO_AND STABLEHLO_COSINE STABLEHLO_EXPONENTIAL STABLEHLO_FLOOR STABLEHLO_LOG STABLEHLO_MINIMUM"
      + " STABLEHLO_NEGATE STABLEHLO_OR STABLEHLO_POWER STABLEHLO_REMAINDER STABLEHLO_RSQRT STABLEHLO_SELECT"
      + " STABLEHLO_SUBTRACT STABLEHLO_TANH STABLEHLO_SCATTER STABLEHLO_COMPARE STABLEHLO_CONVERT"
      + " STABLEHLO_DYNAMIC_SLICE STABLEHLO_DYNAMIC_UPDATE_SLICE STABLEHLO_PAD STABLEHLO_IOTA"
      + " STABLEHLO_DOT_GENERAL STABLEHLO_REDUCE_WINDOW STABLEHLO_SORT STABLEHLO_WHILE STABLEHLO_GATHER"
      + " STABLEHLO_TRANSPOSE DILATE STABLEHLO_RNG_BIT_GENERATOR REDUCE_WINDOW").split(" ");

  /** The operator's name, or {@code BUILTIN_<code>} for codes newer than this table. */
  static String operatorName(int code) {
    return code >= 0 && code < OPERATORS.length ? OPERATORS[code] : "BUILTIN_" + code;
  }

  static final String[] PADDING = {"SAME", "VALID"};
  static final String[] ACTIVATION = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};

  /**
   * Builtin options tables by their {@code BuiltinOptions} union tag, each field as
   * {@code name:kind[=default]} in slot order. Kinds: int, byte (a byte enum), float, bool, padding, activation, type
   * (a TensorType), ints (an int vector). Tables not listed here are exposed as absent options.
   */
  private static final Map<Integer, List<String>> OPTION_LAYOUTS = new HashMap<>();

  static {
    String pool = "padding:padding stride_w:int stride_h:int filter_width:int filter_height:int"
        + " fused_activation_function:activation";
    String activationOnly = "fused_activation_function:activation";
    layout("padding:padding stride_w:int stride_h:int fused_activation_function:activation"
        + " dilation_w_factor:int=1 dilation_h_factor:int=1", 1); // Conv2DOptions
    layout("padding:padding stride_w:int stride_h:int depth_multiplier:int"
        + " fused_activation_function:activation dilation_w_factor:int=1 dilation_h_factor:int=1", 2); // DepthwiseConv2D
    layout(pool, 5); // Pool2DOptions
    layout("fused_activation_function:activation weights_format:byte keep_num_dims:bool"
        + " asymmetric_quantize_inputs:bool", 8); // FullyConnectedOptions
    layout("beta:float", 9); // SoftmaxOptions
    layout("axis:int fused_activation_function:activation", 10); // ConcatenationOptions
    layout(activationOnly + " pot_scale_int16:bool=true", 11, 28); // AddOptions, SubOptions
    layout(activationOnly, 12, 21, 29); // L2NormOptions, MulOptions, DivOptions
    layout("new_height:int new_width:int align_corners:bool half_pixel_centers:bool", 15); // ResizeBilinear
    layout("new_shape:ints", 17); // ReshapeOptions
    layout("block_size:int", 19, 94); // SpaceToDepthOptions, DepthToSpaceOptions
    layout("", 22); // PadOptions
    layout("axis:int batch_dims:int", 23); // GatherOptions
    layout("keep_dims:bool", 27); // ReducerOptions (MEAN, SUM, REDUCE_MAX, ...)
    layout("squeeze_dims:ints", 30); // SqueezeOptions
    layout("begin_mask:int end_mask:int ellipsis_mask:int new_axis_mask:int shrink_axis_mask:int"
        + " offset:bool", 32); // StridedSliceOptions
    layout("num_splits:int", 35, 79); // SplitOptions, SplitVOptions
    layout("in_data_type:type out_data_type:type", 37); // CastOptions
    layout("output_type:type", 40, 57); // ArgMaxOptions, ArgMinOptions
    layout("padding:padding stride_w:int stride_h:int fused_activation_function:activation", 49); // TransposeConv
    layout("values_count:int axis:int", 59); // PackOptions
    layout("num:int axis:int", 64); // UnpackOptions
    layout("align_corners:bool half_pixel_centers:bool", 74); // ResizeNearestNeighborOptions
    layout("alpha:float", 75); // LeakyReluOptions
    layout("mode:byte", 77); // MirrorPadOptions
  }

  /** The options tables of these union tags, which all have {@code fields}. */
  private static void layout(String fields, int... unionTags) {
    for (int tag : unionTags) {
      OPTION_LAYOUTS.put(tag, fields.isEmpty() ? List.of() : List.of(fields.split(" ")));
    }
  }

  /**
   * The builtin options of an operator as {@code name -> value} in schema order, defaults filled in
   * (Integer, Float, Boolean, int[], or a String for enums); empty for tables not described here.
   */
  static Map<String, Object> options(int unionTag, FlatBuffer.Table table) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> fields = OPTION_LAYOUTS.getOrDefault(unionTag, List.of());
    for (int slot = 0; slot < fields.size(); slot++) {
      String[] nameKind = fields.get(slot).split(":");
      String[] kindDefault = nameKind[1].split("=");
      String deflt = kindDefault.length > 1 ? kindDefault[1] : null;
      out.put(nameKind[0], read(table, slot, kindDefault[0], deflt));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object read(FlatBuffer.Table t, int slot, String kind, String deflt) {
    switch (kind) {
      case "int": return t.getInt(slot, deflt == null ? 0 : Integer.parseInt(deflt));
      case "byte": return t.getByte(slot, 0);
      case "float": return t.getFloat(slot, 0f);
      case "bool": return t.getBool(slot, Boolean.parseBoolean(deflt));
      case "padding": return enumName(PADDING, t.getByte(slot, 0), "padding");
      case "activation": return enumName(ACTIVATION, t.getByte(slot, 0), "activation");
      case "type": return tensorType(t.getByte(slot, 0)).name();
      case "ints": return t.ints(slot);
      default: throw new IllegalStateException("bad option kind " + kind);
    }
  }

  private static String enumName(String[] names, int code, String what) {
    if (code < 0 || code >= names.length) {
      throw new FlatBuffer.Corrupt("unknown " + what + " code " + code);
    }
    return names[code];
  }
}
