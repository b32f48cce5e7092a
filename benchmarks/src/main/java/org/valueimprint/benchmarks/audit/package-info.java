/**
 * Whole-audit measurements that JMH does not suit: the memory of an audit of a million records
 * ({@link org.valueimprint.benchmarks.audit.MemoryHarness}) and the padding an audit's batches cost
 * ({@link org.valueimprint.benchmarks.audit.PaddingWaste}).
 */
package org.valueimprint.benchmarks.audit;
