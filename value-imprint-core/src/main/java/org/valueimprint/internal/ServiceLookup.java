package org.valueimprint.internal;

import static java.util.Objects.requireNonNull;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * Finds the providers of a service through the thread context class loader <em>and</em> the library's own class
 * loader, so that an extension shipped in a child class loader (Spark {@code --jars}, Flink user code, an application
 * server's web application) is found as well as one beside the library. Not part of the public API.
 *
 * <p>Providers are listed in this order: those seen by the library's own class loader first, in {@link ServiceLoader}
 * order, then those that only the context class loader sees. A provider class seen by both loaders (the same class
 * name) is listed once, as the library's loader found it.
 *
 * <p>The result is cached per context class loader, and only weakly: the cache never keeps a class loader (or its
 * providers) alive, so an undeployed application's loader can be collected; after a collection the providers are
 * looked up again, which is cheap. A provider that appears in another child loader is found when that loader is the
 * context class loader. Thread-safe.
 *
 * <p>A context class loader that has its own copy of the library (child-first) lists providers of <em>its</em> copy
 * of the service type; those are not subtypes of this one and are passed over. Any other broken provider fails the
 * look-up with {@link ServiceConfigurationError}, naming it, as {@link ServiceLoader} does.
 *
 * @param <S> the service type
 */
public final class ServiceLookup<S> {
    private final Class<S> service;
    private final Map<ClassLoader, WeakReference<List<S>>> cache = new WeakHashMap<>();

    private ServiceLookup(Class<S> service) {
        this.service = service;
    }

    /** A look-up of {@code service}'s providers. */
    public static <S> ServiceLookup<S> of(Class<S> service) {
        return new ServiceLookup<>(requireNonNull(service, "service"));
    }

    /** The providers visible from the current thread's context class loader and from the library's class loader. */
    public List<S> providers() {
        return providers(Thread.currentThread().getContextClassLoader());
    }

    /**
     * The providers visible from {@code loader} and from the library's class loader.
     *
     * @param loader the extra class loader to search; {@code null} searches the library's class loader only
     * @throws ServiceConfigurationError when a listed provider cannot be loaded or instantiated, naming it
     */
    public List<S> providers(ClassLoader loader) {
        ClassLoader own = service.getClassLoader();
        ClassLoader key = loader == null ? own : loader;
        synchronized (cache) {
            WeakReference<List<S>> ref = cache.get(key);
            List<S> found = ref == null ? null : ref.get();
            if (found != null) {
                return found;
            }
        }
        Map<String, S> byClass = new LinkedHashMap<>();
        ServiceLoader.load(service, own).forEach(p -> byClass.putIfAbsent(p.getClass().getName(), p));
        if (key != own) {
            Iterator<S> it = ServiceLoader.load(service, key).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    S p = it.next();
                    byClass.putIfAbsent(p.getClass().getName(), p);
                } catch (ServiceConfigurationError e) {
                    if (e.getCause() != null || !String.valueOf(e.getMessage()).endsWith("not a subtype")) {
                        throw e;
                    }
                }
            }
        }
        List<S> found = List.copyOf(new ArrayList<>(byClass.values()));
        synchronized (cache) {
            cache.put(key, new WeakReference<>(found));
        }
        return found;
    }
}
