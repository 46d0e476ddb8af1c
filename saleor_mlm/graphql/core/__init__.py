"""What every domain package of the API shares: context, errors, mutations, connections,
permissions, dataloaders, query limits and translations."""
