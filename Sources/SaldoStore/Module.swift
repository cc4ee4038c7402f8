public enum SaldoStoreModule {}
