/**
 * Not API: implementation classes that other modules of this project (the benchmarks) must reach. Nothing here is
 * covered by compatibility promises; the API-scan tests skip packages named {@code internal}.
 */
package org.valueimprint.onnx.internal;
