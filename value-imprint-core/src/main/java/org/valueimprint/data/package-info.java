/**
 * The preference data model: {@link org.valueimprint.data.PreferenceRecord records} (a
 * {@link org.valueimprint.data.PreferencePair pair} of chosen and rejected responses, or a
 * {@link org.valueimprint.data.SingleResponse single response} from SFT data), their
 * {@link org.valueimprint.data.Conversation conversations} of {@link org.valueimprint.data.Turn turns}, and the
 * {@link org.valueimprint.data.TextView text views} that decide which text of a record a classifier sees.
 *
 * <p>Every type here is immutable and null-free.
 */
package org.valueimprint.data;
