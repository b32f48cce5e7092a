package org.valueimprint.io.internal.formats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.internal.formats.FormatReadsPropertiesSupport.FormatFile;

/**
 * Issue 12: every format's real file, damaged the way downloads and conversions damage files (cut short, a byte
 * changed, characters deleted or doubled, several of these at once, plain or gzipped), read with the format named
 * and with detection, under both error policies, gives records or a {@link org.valueimprint.io.DatasetReadException},
 * never another exception and never a hang.
 */
class CorruptedFixturesPropertiesTest {

    /** One damage at a relative position (0 to 1) of the file. */
    record Damage(String kind, double at, int amount) {
        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int i = Math.min(in.length - 1, (int) (at * in.length));
            switch (kind) {
                case "truncate":
                    return Arrays.copyOf(in, i);
                case "flip": {
                    byte[] out = in.clone();
                    out[i] = (byte) (out[i] ^ (1 << (amount % 8)));
                    return out;
                }
                case "delete": {
                    int n = Math.min(amount, in.length - i);
                    byte[] out = new byte[in.length - n];
                    System.arraycopy(in, 0, out, 0, i);
                    System.arraycopy(in, i + n, out, i, in.length - i - n);
                    return out;
                }
                case "duplicate": {
                    int n = Math.min(amount, in.length - i);
                    byte[] out = new byte[in.length + n];
                    System.arraycopy(in, 0, out, 0, i + n);
                    System.arraycopy(in, i, out, i + n, in.length - i);
                    return out;
                }
                default:
                    throw new IllegalArgumentException(kind);
            }
        }
    }

    @Property(tries = 200)
    void aDamagedRealFileGivesRecordsOrATypedError(@ForAll("formats") FormatFile file,
            @ForAll("damages") java.util.List<Damage> damages, @ForAll boolean named, @ForAll boolean gzipped,
            @ForAll ErrorPolicy policy) {
        byte[] bytes = file.bytes();
        for (Damage d : damages) {
            bytes = d.apply(bytes);
        }
        String name = file.name();
        if (gzipped) {
            bytes = gzip(bytes);
            name += ".gz";
        }
        FormatReadsPropertiesSupport.readsToRecordsOrATypedError(bytes, name, named ? file.format() : null, policy);
    }

    /** A gzipped, undamaged file whose compressed bytes are then damaged. */
    @Property(tries = 100)
    void aDamagedGzipStreamGivesRecordsOrATypedError(@ForAll("formats") FormatFile file,
            @ForAll("damage") Damage damage, @ForAll ErrorPolicy policy) {
        FormatReadsPropertiesSupport.readsToRecordsOrATypedError(
                damage.apply(gzip(file.bytes())), file.name() + ".gz", file.format(), policy);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<FormatFile> formats() {
        return Arbitraries.of(FormatReadsPropertiesSupport.FILES);
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(Arbitraries.of("truncate", "flip", "delete", "duplicate"),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 40)).as(Damage::new);
    }

    @Provide
    Arbitrary<java.util.List<Damage>> damages() {
        return damage().list().ofMinSize(1).ofMaxSize(4);
    }
}
