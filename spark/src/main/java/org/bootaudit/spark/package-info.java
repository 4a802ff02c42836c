/**
 * bootaudit spark: a fleet's boots as Spark jobs. The entry point is {@link
 * org.bootaudit.spark.Fleet#job()}; hosts come from {@link org.bootaudit.spark.FleetLayout};
 * {@link org.bootaudit.spark.FleetMain} is the {@code bootaudit fleet} command, embedded or under
 * {@code spark-submit}.
 *
 * <p>No {@code module-info}: Spark and Scala are not named modules, so this module lives on the
 * class path, as Spark applications do.
 */
package org.bootaudit.spark;
