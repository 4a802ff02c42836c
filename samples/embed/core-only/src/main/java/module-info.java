/** Parses audit logs with bootaudit core alone: one jar on the module path. */
module example.coreonly {
  requires org.bootaudit.core;
}
