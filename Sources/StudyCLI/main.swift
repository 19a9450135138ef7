print("isoring")
