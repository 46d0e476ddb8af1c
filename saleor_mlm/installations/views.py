from django.http import JsonResponse


def manifest(request):
    raise NotImplementedError  # written in the install-flow work


def register(request):
    raise NotImplementedError
