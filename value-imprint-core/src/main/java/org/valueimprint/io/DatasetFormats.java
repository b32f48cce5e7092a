package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.valueimprint.internal.ServiceLookup;
import org.valueimprint.io.internal.formats.BuiltinFormats;

/**
 * The known {@link DatasetFormat}s: the built-in ones, in detection order, followed by any found with
 * {@link ServiceLoader} ({@code META-INF/services/org.valueimprint.io.DatasetFormat}), first through the library's
 * own class loader, then through the current thread's context class loader. A format in a child class loader (Spark
 * {@code --jars}, Flink user code, a web application) is therefore found when that loader is the context class
 * loader of the reading thread; a format object can also be given directly with
 * {@link ReadOptions.Builder#format(DatasetFormat)}, with no service file at all.
 *
 * <p>Every method looks the formats up again for the calling thread's context class loader (cached per class loader,
 * weakly), so a format that appears in a later child loader is never hidden by an earlier look-up. Two different
 * format classes with the same name are refused with {@link IllegalStateException} naming both, so a name always
 * means one format.
 */
public final class DatasetFormats {
    private static final ServiceLookup<DatasetFormat> SERVICES = ServiceLookup.of(DatasetFormat.class);

    private DatasetFormats() {}

    private static Map<String, DatasetFormat> formats() {
        Map<String, DatasetFormat> byName = new LinkedHashMap<>();
        List<DatasetFormat> all = new ArrayList<>(BuiltinFormats.all());
        all.addAll(SERVICES.providers());
        for (DatasetFormat f : all) {
            DatasetFormat earlier = byName.putIfAbsent(f.name(), f);
            if (earlier != null && !earlier.getClass().getName().equals(f.getClass().getName())) {
                throw new IllegalStateException("two dataset formats are named \"" + f.name() + "\": "
                        + earlier.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return byName;
    }

    /** Every known format, built-in ones first, in detection order. */
    public static List<DatasetFormat> all() {
        return List.copyOf(formats().values());
    }

    /** The names of every known format. */
    public static List<String> names() {
        return List.copyOf(formats().keySet());
    }

    /** The format with this name, if there is one. */
    public static Optional<DatasetFormat> byName(String name) {
        requireNonNull(name, "name");
        return Optional.ofNullable(formats().get(name));
    }

    /** One line per format, {@code "  name  description"}, for messages and listings. */
    public static String describeAll() {
        List<DatasetFormat> all = all();
        int width = all.stream().map(DatasetFormat::name).mapToInt(String::length).max().orElse(0);
        return all.stream()
                .map(f -> "  " + f.name() + " ".repeat(width - f.name().length() + 2) + f.description())
                .collect(Collectors.joining("\n"));
    }
}
