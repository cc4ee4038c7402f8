/// Namespace for SaldoXML; see the files beside this one.
public enum SaldoXMLModule {}
