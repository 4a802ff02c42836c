/**
 * Reads Linux audit logs into ordered file events. Start at {@link org.bootaudit.core.AuditLog#reader()}.
 */
package org.bootaudit.core;
