/** bootaudit core: Linux audit logs to ordered file events. Entry point: {@link org.bootaudit.core.AuditLog}. */
module org.bootaudit.core {
  exports org.bootaudit.core;
}
