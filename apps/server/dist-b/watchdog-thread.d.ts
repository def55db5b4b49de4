export {};
//# sourceMappingURL=watchdog-thread.d.ts.map